package io.ringflow.internal.pipeline;

/**
 * Where a {@link RingPublisher} puts events for one shard: the slots of the shard's ring
 * buffer ({@link RingSlots}), or, when the shard's chain runs on the thread of the one reader
 * that feeds it, a single slot handed to the chain at once ({@link ChainedSlots}). A producer
 * claims a sequence, fills {@link #get its slot} and publishes it.
 */
interface EventSlots {

    /** Claims the next slot, waiting while there is none (backpressure). */
    long next();

    /** Claims the next slot only if one is free now; {@code -1} when none is. */
    long tryNext();

    /** The event in the slot of {@code sequence}, to fill in place. */
    RecordEvent get(long sequence);

    /** Makes the filled slot of {@code sequence} visible to the shard. */
    void publish(long sequence);

    /** Slots still free: how far the shard is from making producers wait. */
    long remainingCapacity();
}
