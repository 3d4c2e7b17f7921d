package io.ringflow;

/**
 * How a shard's consumer thread waits for the next record: the trade between idle CPU and
 * latency. There is one consumer thread per shard per stage, so pick a spinning strategy
 * only when every such thread can have a core of its own.
 *
 * <p>A choice, not an implementation: the runtime maps each kind to its Disruptor wait strategy,
 * so the Disruptor stays out of the API and can change without changing this type.
 */
public enum RingWaitStrategy {

    /**
     * Parks on a lock and is woken by the publisher. No CPU when idle; each publish pays a
     * lock signal and a waiting consumer wakes in roughly 10-50 µs. The default, and the right
     * choice when threads outnumber cores.
     */
    BLOCKING,

    /**
     * Spins for up to 20 µs, yields for up to 200 µs more, then parks on a lock like
     * {@link #BLOCKING} (Disruptor's {@code PhasedBackoffWaitStrategy} with a lite lock, which
     * signals only when a consumer really sleeps). Under steady load a consumer catches the
     * next batch while still spinning, so most hand-offs cost no wake-up; idle, it costs no
     * CPU. The choice for latency when threads outnumber cores.
     */
    SPIN_THEN_PARK,

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
    BUSY_SPIN
}
