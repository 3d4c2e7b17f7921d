package io.ringflow.internal.pipeline;

import io.ringflow.internal.handoff.PartitionChange;
import io.ringflow.internal.operator.ShardClock;
import io.ringflow.internal.plan.ShardChain;
import io.ringflow.watermark.PartitionWatermarkTracker;
import java.util.Arrays;

/**
 * One shard's per-partition event time. With shared checkpoints each state partition keeps its
 * own watermark (Kafka Streams' stream time), so its windows close the same on whichever
 * instance it runs; without them only the partition versions are kept, and every watermark
 * call is a no-op. Used on the shard's thread only; allocates nothing per record.
 */
final class PartitionTime {

    private final ShardChain chain;
    private final ShardClock clock;
    /** Each state partition's watermark over the shard's inputs; {@code null} without partitioned event time. */
    private final PartitionWatermarkTracker watermarks;
    /** Held in a field so forwarding at each batch end allocates nothing. */
    private final PartitionWatermarkTracker.Advanced forward;
    /** Per state partition, the version of the last partition change applied to it here. */
    private long[] versions = new long[0];

    PartitionTime(int inputs, boolean partitioned, ShardChain chain, ShardClock clock) {
        this.chain = chain;
        this.clock = clock;
        this.watermarks = partitioned ? new PartitionWatermarkTracker(inputs) : null;
        this.forward = chain::broadcastPartitionWatermark;
    }

    /**
     * Before a record is pushed: its partition's watermark at its input moves to
     * {@code watermark}, and the clock carries the partition's watermark the record is judged by.
     *
     * @return whether the partition's watermark advanced: call {@link #onAdvanced} once the record is in
     */
    boolean beforeRecord(int input, int partition, long watermark) {
        if (watermarks == null) {
            return false;
        }
        boolean advanced = watermarks.update(input, partition, watermark);
        clock.partitionWatermark = watermarks.current(partition);
        return advanced;
    }

    /** A partition's watermark arrived without a record; its windows close up to it if it advanced. */
    void onWatermark(int input, int partition, long watermark) {
        if (watermarks != null && watermarks.update(input, partition, watermark)) {
            onAdvanced(partition);
        }
    }

    /** Partition {@code partition}'s watermark advanced: its windows close up to it, what they emit belongs to it. */
    void onAdvanced(int partition) {
        clock.partition = partition;
        clock.partitionWatermark = watermarks.current(partition);
        chain.onPartitionWatermark(partition, clock.partitionWatermark);
    }

    /** Tells the next stages how far each partition that advanced in this batch has got, once per batch. */
    void forward() {
        if (watermarks != null && watermarks.anyAdvanced()) {
            watermarks.drainAdvanced(forward);
        }
    }

    /**
     * Whether a change of version {@code version} is the newest to reach {@code partition} here;
     * records it if so, and forgets the partition's watermark: the copy that moves in may be older.
     */
    boolean newer(int partition, long version) {
        if (partition >= versions.length) {
            versions = Arrays.copyOf(versions, partition + 1);
        }
        if (version <= versions[partition]) {
            return false;
        }
        versions[partition] = version;
        if (watermarks != null) {
            watermarks.reset(partition);
        }
        return true;
    }

    /**
     * Partitions this change brought in, or kept from the restored checkpoint, continue at the
     * event time their checkpoint recorded, so their records are judged as they would have been
     * where (or before) that checkpoint was taken. Skipped for a partition a newer change has
     * already reached.
     */
    void resume(int input, PartitionChange change) {
        if (watermarks == null) {
            return;
        }
        int[] timed = change.timed();
        for (int i = 0; i < timed.length; i++) {
            int partition = timed[i];
            long applied = partition < versions.length ? versions[partition] : 0;
            if (applied <= change.version() && watermarks.update(input, partition, change.timedWatermark(i))) {
                onAdvanced(partition);
            }
        }
    }
}
