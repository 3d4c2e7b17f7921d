package io.ringflow;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

/**
 * How a shard's consumer thread waits for the next record: the trade between idle CPU and
 * latency. There is one consumer thread per shard per stage, so pick a spinning strategy
 * only when every such thread can have a core of its own.
 */
public enum RingWaitStrategy {

    /**
     * Parks on a lock and is woken by the publisher. No CPU when idle; each publish pays a
     * lock signal and a waiting consumer wakes in roughly 10-50 µs. The default, and the right
     * choice when threads outnumber cores.
     */
    BLOCKING,

    /**
     * Spins, then yields, then sleeps in short naps. Little CPU when idle; wake-up latency
     * around the nap length (100 ns - 100 µs); publishers pay nothing.
     */
    SLEEPING,

    /**
     * Spins, then {@code Thread.yield()}s. A full core per consumer thread while idle, but it
     * gives way to other runnable threads; latency in the low microseconds.
     */
    YIELDING,

    /**
     * Spins without pause. A full core per consumer thread, always; the lowest latency
     * (sub-microsecond hand-off) when each consumer thread has a dedicated core, and the worst
     * when it does not.
     */
    BUSY_SPIN;

    /** A new Disruptor wait strategy of this kind; strategies hold state, so one per ring. */
    public WaitStrategy create() {
        return switch (this) {
            case BLOCKING -> new BlockingWaitStrategy();
            case SLEEPING -> new SleepingWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
            case BUSY_SPIN -> new BusySpinWaitStrategy();
        };
    }
}
