package io.ringflow.internal.metrics;

import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Times one call in {@value #SAMPLE_EVERY} of one store operation, so a cache hit (tens of
 * nanoseconds) does not pay two clock reads and a histogram update every time. One shard's
 * thread only.
 */
final class SampledTimer {

    /** A power of two, so the sample test is a mask. */
    static final int SAMPLE_EVERY = 64;
    private static final int MASK = SAMPLE_EVERY - 1;

    private final Timer timer;
    private int calls;

    SampledTimer(Timer timer) {
        this.timer = timer;
    }

    /** Whether to time this call: then pass {@code System.nanoTime()} before it to {@link #stop}. */
    boolean sample() {
        return (++calls & MASK) == 0;
    }

    void stop(long startNanos) {
        timer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }
}
