package io.ringflow;

import java.util.Map;

/**
 * What a partitioned source does when its partitions move between the instances of the
 * application and keyed state moves with them ({@code PipelineConfig.withSharedCheckpoints}).
 * Get it from {@link SourceContext#partitionHandover()}, which is empty when state stays with
 * the instance; use it only from the reader's thread, as the context.
 *
 * <p>A Kafka source does, per rebalance: {@link #releasePartitions} for partitions revoked or
 * lost, before committing anything for them; {@link #acquirePartitions} for those assigned,
 * then resumes each at the position it returns (not at its committed offset) and registers
 * its split with {@link #addSplit(int, int)}; on stop, {@link #closeAfterFinalCheckpoint}
 * with its consumer.
 *
 * <pre>{@code
 * Optional<PartitionHandover> handover = context.partitionHandover();
 * // in onPartitionsAssigned:
 * handover.ifPresent(h -> resumeAt(h.acquirePartitions(numbers(assigned), Offsets::progress)));
 * }</pre>
 */
public interface PartitionHandover {

    /**
     * Registers split {@code split} whose records' keyed state belongs to state partition
     * {@code partition} (a Kafka partition number). Keyed operators keep each partition's
     * state apart, so it can move to another instance with the partition; records of splits
     * registered with {@link SourceContext#addSplit(int)} belong to partition 0. Cheap.
     */
    void addSplit(int split, int partition);

    /**
     * The reader no longer reads state partitions {@code partitions}. With {@code checkpointFirst}
     * (a partition revoked in an orderly rebalance), takes a checkpoint whose barrier follows
     * every record emitted so far and waits for it, so the next owner resumes exactly where this
     * reader stopped; then this instance deletes its state of them. Without (a partition lost:
     * another instance may own it already), only deletes. Call from the reader's thread, before
     * committing anything for the partitions; blocks for one checkpoint.
     */
    void releasePartitions(int[] partitions, boolean checkpointFirst);

    /**
     * The reader now reads state partitions {@code partitions}: finds, among every instance's
     * complete checkpoints, the newest copy of each partition's state (the one whose recorded
     * position of this source got furthest in it, by {@code progress}), has this instance load
     * it before the partition's first record, and returns per partition the position recorded
     * with that copy (by the reader that read the partition then); resume from it. A partition
     * no checkpoint holds is absent from the result and starts with empty state. Call it with
     * an empty array too when a rebalance leaves the reader nothing: the first call also drops
     * restored state of partitions no longer assigned here. Cost: reads the manifests of every
     * instance's checkpoints in the shared directory.
     */
    Map<Integer, byte[]> acquirePartitions(int[] partitions, PartitionProgress progress);

    /**
     * Closes {@code membership} only once the pipeline has ended and written its final
     * checkpoint, not when the reader returns: a Kafka consumer that stays in its group until
     * then hands its partitions over from that final checkpoint, so their next owner reads
     * nothing twice. Closed on the pipeline's last thread (after a failure too); a failure to
     * close is logged. Costs the group's wait for the drain and the final checkpoint, usually
     * milliseconds.
     */
    void closeAfterFinalCheckpoint(AutoCloseable membership);

    /** Reads a source's recorded position, to find the newest copy of each partition's state. */
    @FunctionalInterface
    interface PartitionProgress {
        /**
         * The state partitions {@code position} covers, each with a number that grows as the
         * partition is read (for Kafka, the sum of the partition's offsets over the topics).
         */
        Map<Integer, Long> of(byte[] position);
    }
}
