package io.ringflow.windowing;

import java.time.Duration;

/**
 * Fixed-size, non-overlapping windows that cover the time line: {@code [0, size)},
 * {@code [size, 2 size)}, ... (epoch aligned). Each record is in exactly one window.
 *
 * <pre>{@code TumblingWindows.of(Duration.ofSeconds(1)).grace(Duration.ofMillis(200))}</pre>
 */
public record TumblingWindows(long sizeMillis, long graceMillis) implements TimeWindows {

    public static TumblingWindows of(Duration size) {
        return new TumblingWindows(Durations.positive(size, "tumbling window size"), 0);
    }

    /** The same windows, accepting records until {@code grace} after their end. */
    public TumblingWindows grace(Duration grace) {
        return new TumblingWindows(sizeMillis, Durations.grace(grace));
    }

    /** Tumbling windows start where the one before ends: the advance is the size. */
    @Override
    public long advanceMillis() {
        return sizeMillis;
    }

    @Override
    public int maxWindowsPerRecord() {
        return 1;
    }

    /**
     * One division and two compares, no allocation.
     *
     * @throws IllegalArgumentException when the window would start before {@code Long.MIN_VALUE}
     *                                  or end after {@code Long.MAX_VALUE}
     */
    @Override
    public int windowsFor(long timestamp, long[] starts) {
        long start = timestamp - Math.floorMod(timestamp, sizeMillis);
        if (start > timestamp) {
            throw EventTimes.fitsNoWindow(timestamp, describe(), EventTimes.STARTS_BEFORE_MIN);
        }
        if (start > Long.MAX_VALUE - sizeMillis) {
            throw EventTimes.fitsNoWindow(timestamp, describe() + " starting at " + start, EventTimes.ENDS_AFTER_MAX);
        }
        starts[0] = start;
        return 1;
    }

    private String describe() {
        return "tumbling window of " + sizeMillis + " ms";
    }
}
