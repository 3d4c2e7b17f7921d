package io.ringflow.windowing;

import java.time.Duration;

/**
 * Fixed-size windows that start every {@code advance}: overlapping when the advance is
 * smaller than the size (a record is in {@code size / advance} windows: a 10-second window
 * every second), with gaps when it is larger (records between windows are in none). Epoch
 * aligned: windows start at multiples of the advance.
 *
 * <pre>{@code HoppingWindows.of(Duration.ofSeconds(10)).advanceBy(Duration.ofSeconds(5))}</pre>
 */
public record HoppingWindows(long sizeMillis, long advanceMillis, long graceMillis) implements TimeWindows {

    /** Windows of {@code size}; say how far apart they start with {@link #advanceBy}. */
    public static Builder of(Duration size) {
        return new Builder(Durations.positive(size, "hopping window size"));
    }

    /** The first half of {@code HoppingWindows.of(size).advanceBy(advance)}. */
    public static final class Builder {
        private final long sizeMillis;

        private Builder(long sizeMillis) {
            this.sizeMillis = sizeMillis;
        }

        public HoppingWindows advanceBy(Duration advance) {
            return new HoppingWindows(sizeMillis, Durations.positive(advance, "hopping window advance"), 0);
        }
    }

    /** The same windows, accepting records until {@code grace} after their end. */
    public HoppingWindows grace(Duration grace) {
        return new HoppingWindows(sizeMillis, advanceMillis, Durations.grace(grace));
    }

    @Override
    public int maxWindowsPerRecord() {
        return (int) ((sizeMillis - 1) / advanceMillis + 1);
    }

    /**
     * Counts the windows directly (one division), without stepping along the time line, so a
     * timestamp near either end of the long range costs what any other does. No allocation.
     *
     * @throws IllegalArgumentException when a window holding {@code timestamp} would start before
     *                                  {@code Long.MIN_VALUE} or end after {@code Long.MAX_VALUE}
     */
    @Override
    public int windowsFor(long timestamp, long[] starts) {
        // Windows start at multiples of the advance: the latest one starting by the timestamp
        // is `offset` before it, and those before it hold the timestamp while offset + j * advance < size.
        long offset = Math.floorMod(timestamp, advanceMillis);
        if (offset >= sizeMillis) {
            return 0; // between two windows
        }
        long last = timestamp - offset;
        int count = (int) ((sizeMillis - offset - 1) / advanceMillis + 1);
        long first = last - (count - 1) * advanceMillis; // (count - 1) * advance < size: no overflow
        if (last > timestamp || first > last) {
            throw EventTimes.fitsNoWindow(timestamp, describe(), EventTimes.STARTS_BEFORE_MIN);
        }
        if (last > Long.MAX_VALUE - sizeMillis) {
            throw EventTimes.fitsNoWindow(timestamp, describe() + " starting at " + last, EventTimes.ENDS_AFTER_MAX);
        }
        for (int i = 0; i < count; i++) {
            starts[i] = first + i * advanceMillis;
        }
        return count;
    }

    private String describe() {
        return "hopping window of " + sizeMillis + " ms every " + advanceMillis + " ms";
    }
}
