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
        return (int) ((sizeMillis + advanceMillis - 1) / advanceMillis);
    }

    @Override
    public int windowsFor(long timestamp, long[] starts) {
        long last = Math.floorDiv(timestamp, advanceMillis) * advanceMillis;
        long first = last;
        while (first - advanceMillis > timestamp - sizeMillis) {
            first -= advanceMillis;
        }
        int count = 0;
        for (long start = first; start <= last; start += advanceMillis) {
            if (timestamp < start + sizeMillis) {
                starts[count++] = start;
            }
        }
        return count;
    }
}
