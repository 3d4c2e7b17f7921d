package io.ringflow.watermark;

import java.util.Arrays;

/**
 * Each source partition's own watermark as one shard sees it, for partitioned event time:
 * per partition, the minimum over the inputs that have reported it (a partition reaches a
 * shard through the one upstream shard its reader feeds, or through every upstream shard a
 * stage later), never going back until the partition is {@linkplain #reset reset} when it
 * moves. Also remembers which partitions advanced since they were last {@linkplain
 * #drainAdvanced drained}, so a shard forwards each advance once per batch, not per record.
 *
 * <p>Primitive arrays grown on first sight of a partition, no allocation per update; one thread.
 */
public final class PartitionWatermarkTracker {

    private final int inputs;
    /** Per partition, per input: the last watermark reported, {@link Watermarks#NONE} if none. */
    private long[][] reported = new long[0][];
    private long[] current = new long[0];
    private boolean[] advanced = new boolean[0];
    private int[] advancedList = new int[8];
    private int advancedCount;

    public PartitionWatermarkTracker(int inputs) {
        this.inputs = Math.max(1, inputs);
    }

    /**
     * Records that input {@code input} has brought partition {@code partition} to {@code watermark}.
     *
     * @return whether the partition's watermark advanced
     */
    public boolean update(int input, int partition, long watermark) {
        if (watermark == Watermarks.NONE) {
            return false;
        }
        ensure(partition);
        long[] byInput = reported[partition];
        if (watermark <= byInput[input]) {
            return false; // the common case: one compare per record
        }
        byInput[input] = watermark;
        long min = Long.MAX_VALUE;
        for (long w : byInput) {
            if (w != Watermarks.NONE && w < min) {
                min = w;
            }
        }
        if (min <= current[partition]) {
            return false;
        }
        current[partition] = min;
        if (!advanced[partition]) {
            advanced[partition] = true;
            if (advancedCount == advancedList.length) {
                advancedList = Arrays.copyOf(advancedList, advancedCount * 2);
            }
            advancedList[advancedCount++] = partition;
        }
        return true;
    }

    /** Partition {@code partition}'s watermark; {@link Watermarks#NONE} before any input reported it. */
    public long current(int partition) {
        return partition < current.length ? current[partition] : Watermarks.NONE;
    }

    /**
     * Forgets the partition: it moved, and its next owner's copy may be older than what was
     * seen here, so its watermark starts again from its records.
     */
    public void reset(int partition) {
        if (partition < current.length) {
            Arrays.fill(reported[partition], Watermarks.NONE);
            current[partition] = Watermarks.NONE;
        }
    }

    /** Hands each partition that advanced since the last call to {@code action}, once, and forgets them. */
    public void drainAdvanced(Advanced action) {
        for (int i = 0; i < advancedCount; i++) {
            int partition = advancedList[i];
            advanced[partition] = false;
            action.partition(partition, current[partition]);
        }
        advancedCount = 0;
    }

    /** Whether a partition advanced since the last {@link #drainAdvanced}. */
    public boolean anyAdvanced() {
        return advancedCount > 0;
    }

    private void ensure(int partition) {
        if (partition < current.length) {
            return;
        }
        int size = Math.max(partition + 1, current.length * 2);
        int from = current.length;
        reported = Arrays.copyOf(reported, size);
        current = Arrays.copyOf(current, size);
        advanced = Arrays.copyOf(advanced, size);
        for (int p = from; p < size; p++) {
            reported[p] = new long[inputs];
            Arrays.fill(reported[p], Watermarks.NONE);
            current[p] = Watermarks.NONE;
        }
    }

    /** Receives one advanced partition and its watermark. */
    @FunctionalInterface
    public interface Advanced {
        void partition(int partition, long watermark);
    }
}
