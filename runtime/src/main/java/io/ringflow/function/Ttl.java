package io.ringflow.function;

import java.time.Duration;
import java.util.Objects;

/**
 * How long an entry of a named keyed state lives after its last write, and by which clock;
 * as Flink's {@code StateTtlConfig}. Give it to a spec: {@code spec.withTtl(Ttl.eventTime(...))}.
 *
 * <pre>{@code
 * MapStateSpec<String, Double> quotes = MapStateSpec.of("quotes", String.class, Double.class)
 *         .withTtl(Ttl.eventTime(Duration.ofMinutes(5)));
 * }</pre>
 *
 * <p>An entry (a value, one map entry, one list element) written at time {@code w} expires at
 * {@code w + ttl}: from then on reads do not see it, and a cleanup timer deletes it from the
 * store when its clock passes that time. Only writes count: a read never extends an entry's
 * life. Each entry stores its expiry time (8 bytes) with it, so changing the duration applies to
 * entries written from then on; entries already written keep the expiry they were given.
 *
 * <ul>
 *   <li><b>Event time</b>: {@code w} is the timestamp of the record being processed (in
 *       {@code onTimer} of an event-time timer, the timer's; of a processing-time timer, the
 *       current watermark), so what expires does not depend on thread timing. The entry
 *       expires when the watermark reaches {@code w + ttl}, as an event-time timer at that
 *       time would fire; the end of a bounded input expires everything. A record already
 *       {@code ttl} behind the watermark writes an entry that is expired at once.</li>
 *   <li><b>Processing time</b>: {@code w} is the shard's wall clock at the write (the driver's
 *       clock in the {@code TopologyTestDriver}); cleanup runs at batch ends and timer ticks.
 *       Entries still alive when the input ends stay stored, as pending processing-time timers
 *       do.</li>
 * </ul>
 *
 * <p>Cost: one cleanup timer per live entry (a buffered timer-store update per write, no
 * RocksDB call), one read of the entry per write (to find and move its timer; usually a cache
 * hit), and the expiry's 8 bytes per entry. A list element is always new, so an add reads nothing
 * more.
 */
public final class Ttl {

    private final TimeDomain domain;
    private final long millis;

    private Ttl(TimeDomain domain, Duration duration) {
        Objects.requireNonNull(duration, "a TTL needs a duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a TTL must be positive, got " + duration);
        }
        this.domain = domain;
        this.millis = duration.toMillis();
        if (millis == 0) {
            throw new IllegalArgumentException("a TTL is counted in milliseconds; " + duration + " is less than one");
        }
    }

    /** Entries live {@code duration} of event time after the timestamp of their last write. */
    public static Ttl eventTime(Duration duration) {
        return new Ttl(TimeDomain.EVENT_TIME, duration);
    }

    /** Entries live {@code duration} of wall-clock time after their last write. */
    public static Ttl processingTime(Duration duration) {
        return new Ttl(TimeDomain.PROCESSING_TIME, duration);
    }

    /** The clock entries expire by. */
    public TimeDomain domain() {
        return domain;
    }

    /** How long an entry lives after its last write, in milliseconds. */
    public long millis() {
        return millis;
    }

    /** The expiry time of an entry written at {@code writeTime}: {@code Long.MAX_VALUE} if it would overflow. */
    public long expiryOf(long writeTime) {
        long expiry = writeTime + millis;
        return expiry < writeTime ? Long.MAX_VALUE : expiry;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Ttl ttl && ttl.domain == domain && ttl.millis == millis;
    }

    @Override
    public int hashCode() {
        return domain.hashCode() * 31 + Long.hashCode(millis);
    }

    @Override
    public String toString() {
        return (domain == TimeDomain.EVENT_TIME ? "Ttl.eventTime(" : "Ttl.processingTime(") + millis + " ms)";
    }
}
