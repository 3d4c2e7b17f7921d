package io.ringflow.windowing;

import java.time.Duration;

/** Checks of the durations windows are built from, with messages that say what to change. */
final class Durations {

    private Durations() {
    }

    static long positive(Duration duration, String what) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + " must be a positive duration, got " + duration);
        }
        return duration.toMillis();
    }

    static long grace(Duration grace) {
        if (grace == null || grace.isNegative()) {
            throw new IllegalArgumentException("grace must be zero or positive, got " + grace
                    + "; use Duration.ZERO to close windows as soon as the watermark passes their end");
        }
        return grace.toMillis();
    }
}
