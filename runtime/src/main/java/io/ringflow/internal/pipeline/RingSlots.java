package io.ringflow.internal.pipeline;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.ringflow.internal.PipelineAbortedException;
import java.util.concurrent.locks.LockSupport;

/**
 * A shard's ring buffer as {@link EventSlots}. A full ring blocks the claimer (backpressure)
 * until the consumer frees a slot, unless the pipeline fails meanwhile: then the claimer is
 * unwound with {@link PipelineAbortedException} instead of waiting forever on a halted consumer.
 */
final class RingSlots implements EventSlots {

    private static final int SPINS_BEFORE_PARKING = 100;

    private final RingBuffer<RecordEvent> ring;
    private final RunState runState;

    RingSlots(RingBuffer<RecordEvent> ring, RunState runState) {
        this.ring = ring;
        this.runState = runState;
    }

    RingBuffer<RecordEvent> ring() {
        return ring;
    }

    @Override
    public long next() {
        try {
            return ring.tryNext();
        } catch (InsufficientCapacityException full) {
            return nextWhenFull();
        }
    }

    @Override
    public long tryNext() {
        try {
            return ring.tryNext();
        } catch (InsufficientCapacityException full) {
            return -1;
        }
    }

    @Override
    public RecordEvent get(long sequence) {
        return ring.get(sequence);
    }

    @Override
    public void publish(long sequence) {
        ring.publish(sequence);
    }

    @Override
    public long remainingCapacity() {
        return ring.remainingCapacity();
    }

    private long nextWhenFull() {
        // A graceful stop interrupts source threads; the record in hand must still be
        // published, so the interrupt is kept aside and restored for the source to see.
        boolean interrupted = false;
        try {
            for (int attempt = 0; ; attempt++) {
                if (runState.isAborted()) {
                    throw new PipelineAbortedException();
                }
                try {
                    return ring.tryNext();
                } catch (InsufficientCapacityException full) {
                    if (attempt < SPINS_BEFORE_PARKING) {
                        Thread.onSpinWait();
                    } else {
                        interrupted |= Thread.interrupted();
                        LockSupport.parkNanos(1);
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
