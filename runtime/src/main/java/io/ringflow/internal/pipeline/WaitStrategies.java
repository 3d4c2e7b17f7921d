package io.ringflow.internal.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.PhasedBackoffWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import io.ringflow.RingWaitStrategy;
import java.util.concurrent.TimeUnit;

/**
 * The Disruptor wait strategy behind each {@link RingWaitStrategy}. It lives here, not on the
 * enum, so the public API names a choice and never a Disruptor type.
 */
final class WaitStrategies {

    private WaitStrategies() {
    }

    /** A new wait strategy of {@code kind}; strategies hold state, so one per ring. */
    static WaitStrategy create(RingWaitStrategy kind) {
        return switch (kind) {
            case BLOCKING -> new BlockingWaitStrategy();
            case SPIN_THEN_PARK -> PhasedBackoffWaitStrategy.withLiteLock(20, 200, TimeUnit.MICROSECONDS);
            case SLEEPING -> new SleepingWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
            case BUSY_SPIN -> new BusySpinWaitStrategy();
        };
    }
}
