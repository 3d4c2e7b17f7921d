package io.ringflow.watermark;

import java.time.Duration;

/**
 * How a source turns its records' timestamps into watermarks: the claim "no record older
 * than this will arrive any more", which lets event-time windows close. Immutable; every
 * {@code with...} returns a new strategy.
 *
 * <pre>{@code
 * WatermarkStrategy.<Trade>forBoundedOutOfOrderness(Duration.ofMillis(200))
 *         .withTimestampExtractor((trade, sourceTime) -> trade.time())
 *         .withIdleness(Duration.ofSeconds(5));
 * }</pre>
 *
 * Each input of a source (a reader, a Kafka partition) gets its own generator; the pipeline
 * sees the minimum over them.
 */
public final class WatermarkStrategy<T> {

    private final long outOfOrdernessMillis;
    private final long idlenessMillis;
    private final TimestampExtractor<? super T> extractor;
    /** {@link Long#MAX_VALUE}: no guard. */
    private final long maxDriftAheadMillis;

    private WatermarkStrategy(long outOfOrdernessMillis, long idlenessMillis, TimestampExtractor<? super T> extractor,
                              long maxDriftAheadMillis) {
        this.outOfOrdernessMillis = outOfOrdernessMillis;
        this.idlenessMillis = idlenessMillis;
        this.extractor = extractor;
        this.maxDriftAheadMillis = maxDriftAheadMillis;
    }

    /**
     * Watermark = the largest timestamp seen minus {@code maxOutOfOrderness}: records may
     * arrive up to that much later than newer ones and still be on time. The larger it is, the
     * later windows close (latency) and the fewer records are late. The subtraction saturates:
     * until the largest timestamp is {@code maxOutOfOrderness} past {@code Long.MIN_VALUE}, the
     * watermark stays {@link Watermarks#NONE} rather than wrapping.
     */
    public static <T> WatermarkStrategy<T> forBoundedOutOfOrderness(Duration maxOutOfOrderness) {
        if (maxOutOfOrderness == null || maxOutOfOrderness.isNegative()) {
            throw new IllegalArgumentException("forBoundedOutOfOrderness needs a duration >= 0, got " + maxOutOfOrderness);
        }
        return new WatermarkStrategy<>(maxOutOfOrderness.toMillis(), 0, null, Long.MAX_VALUE);
    }

    /**
     * Watermark = the largest timestamp seen: for inputs whose timestamps never go back (a
     * single producer stamping with its clock). Any record older than the newest is late.
     */
    public static <T> WatermarkStrategy<T> forMonotonousTimestamps() {
        return new WatermarkStrategy<>(0, 0, null, Long.MAX_VALUE);
    }

    /**
     * An input that has had no record for {@code timeout} (processing time) stops holding the
     * minimum back: windows can close while, say, one Kafka partition is quiet. It counts
     * again from its next record.
     */
    public WatermarkStrategy<T> withIdleness(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("withIdleness needs a timeout > 0, got " + timeout);
        }
        return new WatermarkStrategy<>(outOfOrdernessMillis, timeout.toMillis(), extractor, maxDriftAheadMillis);
    }

    /** Event time from the record instead of the source's timestamp. */
    public <U extends T> WatermarkStrategy<U> withTimestampExtractor(TimestampExtractor<? super U> extractor) {
        if (extractor == null) {
            throw new IllegalArgumentException("timestamp extractor must not be null");
        }
        return new WatermarkStrategy<>(outOfOrdernessMillis, idlenessMillis, extractor, maxDriftAheadMillis);
    }

    /**
     * Guards event time against records stamped far in the future: a record whose event time
     * is more than {@code maxDrift} ahead of processing time (the wall clock of the machine
     * reading it) goes to the pipeline's error handler instead of being processed, and does
     * not move the watermark. Without the guard one such record (a clock off by a year, a
     * timestamp in microseconds read as milliseconds) moves the watermark so far that every
     * later record is late and no window it opens ever closes.
     *
     * <p>Off by default, as in Flink and Kafka Streams: replays, simulations and tests run on
     * event times far from today's clock, and no bound fits every input; a pipeline that reads
     * live data stamped by clocks you trust should set one generous enough for their skew (for
     * example {@code Duration.ofHours(1)}). Cost: one wall-clock read per record.
     */
    public WatermarkStrategy<T> withMaxDriftAhead(Duration maxDrift) {
        if (maxDrift == null || maxDrift.isNegative()) {
            throw new IllegalArgumentException("withMaxDriftAhead needs a duration >= 0, got " + maxDrift);
        }
        return new WatermarkStrategy<>(outOfOrdernessMillis, idlenessMillis, extractor, maxDrift.toMillis());
    }

    /** How far ahead of processing time event time may be, in milliseconds; {@link Long#MAX_VALUE}: unguarded. */
    public long maxDriftAheadMillis() {
        return maxDriftAheadMillis;
    }

    /**
     * Why a record of event time {@code eventTime}, read at processing time {@code nowMillis},
     * must not be processed, or {@code null} when it may be. Allocates only for a refusal.
     */
    public String refusal(long eventTime, long nowMillis) {
        if (maxDriftAheadMillis == Long.MAX_VALUE || eventTime <= nowMillis
                || eventTime - nowMillis <= maxDriftAheadMillis) {
            return null;
        }
        return "event time " + eventTime + " is " + (eventTime - nowMillis) + " ms ahead of processing time "
                + nowMillis + ", more than the " + maxDriftAheadMillis + " ms withMaxDriftAhead allows: the record's"
                + " clock or timestamp unit is wrong; it was not processed and did not move the watermark";
    }

    /** The record's event time: the extractor's, or the source's timestamp when there is none. */
    public long timestampOf(T value, long sourceTimestamp) {
        return extractor == null ? sourceTimestamp : extractor.extractTimestamp(value, sourceTimestamp);
    }

    /** A generator for one input; generators are not thread-safe, one per input. */
    public WatermarkGenerator createGenerator() {
        return new WatermarkGenerator(outOfOrdernessMillis, idlenessMillis);
    }

    public long outOfOrdernessMillis() {
        return outOfOrdernessMillis;
    }

    /** The idleness timeout in milliseconds, or 0 when inputs are never considered idle. */
    public long idlenessMillis() {
        return idlenessMillis;
    }

    @Override
    public String toString() {
        return "WatermarkStrategy{outOfOrderness=" + outOfOrdernessMillis + "ms"
                + (idlenessMillis > 0 ? ", idleness=" + idlenessMillis + "ms" : "")
                + (maxDriftAheadMillis == Long.MAX_VALUE ? "" : ", maxDriftAhead=" + maxDriftAheadMillis + "ms") + '}';
    }
}
