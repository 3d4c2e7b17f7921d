package io.ringflow.internal.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import io.ringflow.RingWaitStrategy;

/**
 * The Disruptor wait strategy behind each {@link RingWaitStrategy}. It lives here, not on the
 * enum, so the public API names a choice and never a Disruptor type.
 */
final class WaitStrategies {

    /**
     * How long SPIN_THEN_PARK spins before it blocks. Longer spins bought nothing on a quiet
     * 2-vCPU machine and cost the tail when cores were contended (keyed count at 200k/s, p99
     * without / with one busy neighbour: 20 µs spin and 200 µs of yields 182 µs / 3.7 ms; 10 µs
     * 185 µs / 1.7 ms; 2 µs 102 µs / 0.2–1.8 ms; blocking at once 125 µs / 0.3–1.9 ms).
     */
    static final long SPIN_NANOS = 2_000;

    private WaitStrategies() {
    }

    /** A new wait strategy of {@code kind}; strategies hold state, so one per ring. */
    static WaitStrategy create(RingWaitStrategy kind) {
        return switch (kind) {
            case BLOCKING -> new BlockingWaitStrategy();
            case SPIN_THEN_PARK -> new SpinThenBlockWaitStrategy(SPIN_NANOS);
            case SLEEPING -> new SleepingWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
            case BUSY_SPIN -> new BusySpinWaitStrategy();
        };
    }
}
