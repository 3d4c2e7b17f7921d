package io.ringflow.internal.operator;

import io.ringflow.watermark.Watermarks;
import java.util.function.LongSupplier;

/**
 * What a shard's thread knows about time that operators do not pass along with each record:
 * the shard's watermark (the minimum over its inputs) and the ingest time of the record being
 * processed, carried across exchanges so end-to-end latency is measured from the source.
 * Written and read by the shard's own thread only.
 */
public final class ShardClock {

    /** The watermark the record being processed is judged against: as it was before that record. */
    public long watermark = Watermarks.NONE;

    /**
     * The watermark records sent on carry: as it is after the record being processed. The
     * next stage then judges each record against exactly what this stage had before it, so a
     * record's lateness does not depend on how batches happened to fall.
     */
    public long outgoingWatermark = Watermarks.NONE;

    /**
     * The record being processed's source reader's watermark just after it, as the reader sent
     * it (it crosses exchanges unchanged): event-time operators judge lateness by it, together
     * with the shard's watermark, so a record is late or not by the input alone, whatever the
     * parallelism and however batches fell. Without idleness the shard's watermark never passes
     * it; an input back from idle can be behind the shard, and then the shard's watermark wins,
     * so no record enters a window already closed.
     */
    public long recordWatermark = Watermarks.NONE;

    public long ingestNanos;

    /**
     * The state partition of the record being processed (its source partition), or of the
     * windows being fired: keyed operators keep each partition's state apart, so it can move
     * to another instance when the partition does.
     */
    public int partition;

    /**
     * With partitioned event time (shared checkpoints): how far the current record's partition
     * alone has got in event time, as this shard has it after the record (or the partition whose
     * windows are closing). Records sent on carry it; the partition's windows close on it, so
     * they close the same wherever the partition runs.
     */
    public long partitionWatermark = Watermarks.NONE;

    /**
     * Processing time for operators that ask for it while they run (a process function's
     * {@code currentProcessingTime()}): the wall clock in a pipeline, the driver's hand-advanced
     * time in the test driver.
     */
    public LongSupplier processingTime = System::currentTimeMillis;

    /**
     * Set by an operator that sent records carrying the watermark from before the current
     * advance (a keyed process whose timers are due): the shard then forwards its watermark at
     * once rather than at the end of the batch, so the next stages see those records, then the
     * watermark, then what follows, whatever the batches. The shard clears it.
     */
    public boolean watermarkHeldBack;

    /**
     * Sets the clock back to {@code before} for output emitted on a watermark advance (due
     * timers, expired join records, released as-of records): it is judged by, and carries, the
     * watermark from before the advance, so the advance does not make it late here or in the next
     * stage, and marks the watermark held back. {@code saved} keeps what {@link #restore} puts
     * back; each caller holds one, so this allocates nothing.
     *
     * @param partitionedTime whether the partition's own watermark is set back too
     */
    public void holdBack(long before, int partitionIndex, boolean partitionedTime, Saved saved) {
        saved.watermark = watermark;
        saved.outgoingWatermark = outgoingWatermark;
        saved.recordWatermark = recordWatermark;
        saved.partitionWatermark = partitionWatermark;
        saved.partition = partition;
        watermark = outgoingWatermark = recordWatermark = before;
        if (partitionedTime) {
            partitionWatermark = before;
        }
        partition = partitionIndex;
        watermarkHeldBack = true;
    }

    /** Puts back what {@link #holdBack} set aside in {@code saved}. */
    public void restore(Saved saved) {
        watermark = saved.watermark;
        outgoingWatermark = saved.outgoingWatermark;
        recordWatermark = saved.recordWatermark;
        partitionWatermark = saved.partitionWatermark;
        partition = saved.partition;
    }

    /** The clock's fields as {@link #holdBack} found them. */
    public static final class Saved {
        private long watermark;
        private long outgoingWatermark;
        private long recordWatermark;
        private long partitionWatermark;
        private int partition;
    }
}
