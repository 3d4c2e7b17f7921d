package io.ringflow.windowing;

import io.ringflow.watermark.Watermarks;

/**
 * Overflow-safe event-time arithmetic for windows, and the refusal of a timestamp no window can
 * hold. Sums that would pass {@code Long.MAX_VALUE} stop there: a window whose end plus grace
 * is past the end of time closes only when the watermark reaches {@code Long.MAX_VALUE}, the
 * end of input. Plain arithmetic and compares, no allocation; a refusal allocates its exception.
 */
final class EventTimes {

    private EventTimes() {
    }

    /** {@code time + nonNegative}, or {@code Long.MAX_VALUE} if that is past it. */
    static long plus(long time, long nonNegative) {
        long sum = time + nonNegative;
        return sum < time ? Long.MAX_VALUE : sum;
    }

    /** The instant a window or session ending at {@code end} closes: {@code end + grace}, saturated. */
    static long closesAt(long end, long grace) {
        return plus(end, grace);
    }

    /** Whether a window or session ending at {@code end} is closed under {@code watermark}. */
    static boolean isClosed(long end, long grace, long watermark) {
        return watermark != Watermarks.NONE && watermark >= closesAt(end, grace);
    }

    /** Refuses {@code Long.MIN_VALUE}, which the watermark uses for "none yet". */
    static void requireNotNone(long timestamp) {
        if (timestamp == Watermarks.NONE) {
            throw new IllegalArgumentException("event time " + timestamp + " (Long.MIN_VALUE) fits no window: it is"
                    + " Watermarks.NONE, 'no watermark yet'" + FIX);
        }
    }

    /** A timestamp whose window, described by {@code window}, {@code problem} ("would end after Long.MAX_VALUE"). */
    static IllegalArgumentException fitsNoWindow(long timestamp, String window, String problem) {
        return new IllegalArgumentException("event time " + timestamp + " fits no window: its " + window + " " + problem
                + FIX);
    }

    static final String ENDS_AFTER_MAX = "would end after Long.MAX_VALUE";
    static final String STARTS_BEFORE_MIN = "would start before Long.MIN_VALUE";

    private static final String FIX = "; give the record its real event time (epoch milliseconds) in the source's"
            + " TimestampExtractor, or filter such records out before window(...)";
}
