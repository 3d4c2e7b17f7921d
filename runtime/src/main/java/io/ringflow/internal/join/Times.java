package io.ringflow.internal.join;

/** Event-time arithmetic that saturates at the ends of {@code long} instead of wrapping. */
final class Times {

    private Times() {
    }

    static long plus(long time, long duration) {
        long sum = time + duration;
        return ((time ^ sum) & (duration ^ sum)) < 0 ? (duration > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : sum;
    }

    static long minus(long time, long duration) {
        return duration == Long.MIN_VALUE ? plus(plus(time, Long.MAX_VALUE), 1) : plus(time, -duration);
    }
}
