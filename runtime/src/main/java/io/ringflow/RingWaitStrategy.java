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
     * Spins for about 2 µs, then parks on a lock like {@link #BLOCKING} until the publisher
     * signals. Under steady load the next record often arrives within the spin and costs no
     * wake-up; when it does not, the consumer gives its core away at once, so it neither burns
     * CPU when idle nor takes a contended core from the thread that would publish next. The
     * choice for latency when threads may outnumber cores.
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
