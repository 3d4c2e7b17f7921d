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

    private WatermarkStrategy(long outOfOrdernessMillis, long idlenessMillis, TimestampExtractor<? super T> extractor) {
        this.outOfOrdernessMillis = outOfOrdernessMillis;
        this.idlenessMillis = idlenessMillis;
        this.extractor = extractor;
    }

    /**
     * Watermark = the largest timestamp seen minus {@code maxOutOfOrderness}: records may
     * arrive up to that much later than newer ones and still be on time. The larger it is, the
     * later windows close (latency) and the fewer records are late.
     */
    public static <T> WatermarkStrategy<T> forBoundedOutOfOrderness(Duration maxOutOfOrderness) {
        if (maxOutOfOrderness == null || maxOutOfOrderness.isNegative()) {
            throw new IllegalArgumentException("forBoundedOutOfOrderness needs a duration >= 0, got " + maxOutOfOrderness);
        }
        return new WatermarkStrategy<>(maxOutOfOrderness.toMillis(), 0, null);
    }

    /**
     * Watermark = the largest timestamp seen: for inputs whose timestamps never go back (a
     * single producer stamping with its clock). Any record older than the newest is late.
     */
    public static <T> WatermarkStrategy<T> forMonotonousTimestamps() {
        return new WatermarkStrategy<>(0, 0, null);
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
        return new WatermarkStrategy<>(outOfOrdernessMillis, timeout.toMillis(), extractor);
    }

    /** Event time from the record instead of the source's timestamp. */
    public <U extends T> WatermarkStrategy<U> withTimestampExtractor(TimestampExtractor<? super U> extractor) {
        if (extractor == null) {
            throw new IllegalArgumentException("timestamp extractor must not be null");
        }
        return new WatermarkStrategy<>(outOfOrdernessMillis, idlenessMillis, extractor);
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
                + (idlenessMillis > 0 ? ", idleness=" + idlenessMillis + "ms" : "") + '}';
    }
}
