package io.ringflow.internal.pipeline;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The input of a shard whose chain runs on the thread of the one source reader that feeds it,
 * as Flink chains a source with its first operators: an event is handed to the shard's
 * {@link ShardHandler} as soon as it is published, each one its own batch, with no ring and no
 * second thread. The pipeline's timer still delivers ticks and idleness while the reader is
 * blocked in its source; a lock keeps the two from running the chain at once, and a timer that
 * finds the reader inside the chain skips its tick, as it skips a full ring.
 *
 * <p>A stop interrupts a reader to wake it in its source's I/O. Inside the chain that interrupt
 * would break what a shard thread is never interrupted in (a checkpoint's pause, a sink's
 * sync), so it is held back while the reader is inside and delivered as it leaves.
 */
final class ChainedSlots implements EventSlots {

    private final ReentrantLock lock = new ReentrantLock();
    private final RecordEvent slot = new RecordEvent();
    /** What {@link #remainingCapacity()} reports for a chain that feeds no ring: nothing ever waits here. */
    private final long capacity;
    private ShardHandler handler;
    /** The rings the chain publishes into (the next stages'): where its records may have to wait. */
    private RingSlots[] fed = new RingSlots[0];
    /** The reader thread running the chain, from {@link #start()}. */
    private volatile Thread reader;
    /** Guarded by {@link #lock}: the chain is shut down and takes no more events. */
    private boolean closed;
    /** Guarded by {@code this}: the reader is inside the chain, or waiting to enter it. */
    private boolean readerInside;
    /** Guarded by {@code this}: an interrupt for the reader, held back until it leaves the chain. */
    private boolean interruptPending;

    ChainedSlots(long capacity) {
        this.capacity = capacity;
    }

    /** The handler the events go to; before the pipeline starts. */
    void attach(ShardHandler handler) {
        this.handler = handler;
    }

    /** The rings the chain publishes into; before the pipeline starts. */
    void feeds(List<RingSlots> rings) {
        this.fed = rings.toArray(new RingSlots[0]);
    }

    /** On the reader's thread, before its source runs: the chain opens, as a shard thread's would. */
    void start() {
        reader = Thread.currentThread();
        enter();
        try {
            handler.onStart();
        } finally {
            exit();
        }
    }

    /** On the reader's thread, once its source has returned: the chain closes if it has not ended. */
    void shutdown() {
        enter();
        try {
            closed = true;
            handler.onShutdown();
        } finally {
            exit();
        }
    }

    @Override
    public long next() {
        enter();
        return 0;
    }

    @Override
    public long tryNext() {
        if (Thread.currentThread() == reader) {
            return next(); // the reader never waits for a ring here, only for the timer's tick
        }
        if (!lock.tryLock()) {
            return -1;
        }
        if (closed) {
            lock.unlock();
            return -1;
        }
        return 0;
    }

    @Override
    public RecordEvent get(long sequence) {
        return slot;
    }

    @Override
    public void publish(long sequence) {
        try {
            if (!closed) {
                handler.onEvent(slot, sequence, true);
            }
        } finally {
            exit();
        }
    }

    /**
     * The fewest free slots among the rings the chain feeds: a record that keys to a full one
     * would wait in the chain, so {@code tryEmit} refuses it while any is full (a Kafka reader
     * then pauses its partitions and keeps polling), and the gauge shows how far the next stage
     * is behind.
     */
    @Override
    public long remainingCapacity() {
        long least = capacity;
        for (RingSlots ring : fed) {
            least = Math.min(least, ring.remainingCapacity());
        }
        return least;
    }

    /**
     * Interrupts {@code thread}, the reader's, now if it is outside the chain, or else as it
     * leaves the chain.
     */
    synchronized void interrupt(Thread thread) {
        if (readerInside && thread == reader) {
            interruptPending = true;
        } else {
            thread.interrupt();
        }
    }

    private void enter() {
        if (Thread.currentThread() == reader) {
            synchronized (this) {
                readerInside = true;
                if (Thread.interrupted()) {
                    interruptPending = true;
                }
            }
        }
        lock.lock();
    }

    private void exit() {
        lock.unlock();
        Thread current = Thread.currentThread();
        if (current == reader) {
            synchronized (this) {
                readerInside = false;
                if (interruptPending) {
                    interruptPending = false;
                    current.interrupt();
                }
            }
        }
    }
}
