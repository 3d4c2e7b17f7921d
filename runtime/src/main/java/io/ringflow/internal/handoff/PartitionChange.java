package io.ringflow.internal.handoff;

import java.nio.file.Path;

/**
 * Keyed state partitions arriving at or leaving this instance, travelling in-band through
 * every ring buffer like a checkpoint barrier: behind the last record of a dropped partition,
 * ahead of the first record of an adopted one. A shard receives it once per input and acts
 * on the first arrival; a change with a lower {@link #version()} than one already applied to
 * a partition is stale (two readers of one instance handed the partition between them) and
 * is ignored for it.
 */
public final class PartitionChange {

    private final long version;
    private final int[] dropped;
    private final int[] adopted;
    private final Path[] adoptedFrom;
    private final int[] timed;
    private final long[] timedWatermarks;
    /** Per shard of every stage (written by that shard's thread only): whether it has acted. */
    private final boolean[] applied;

    /**
     * @param adoptedFrom per adopted partition, the checkpoint directory holding its state, or
     *                    {@code null} when no checkpoint holds it (it starts empty)
     * @param timed     partitions whose event time a checkpoint recorded: adopted ones, and ones
     *                    kept from the checkpoint the instance restored
     * @param timedWatermarks per timed partition, the watermark that checkpoint recorded
     */
    public PartitionChange(long version, int[] dropped, int[] adopted, Path[] adoptedFrom, int[] timed,
                           long[] timedWatermarks, int shardSlots) {
        this.version = version;
        this.dropped = dropped.clone();
        this.adopted = adopted.clone();
        this.adoptedFrom = adoptedFrom.clone();
        this.timed = timed.clone();
        this.timedWatermarks = timedWatermarks.clone();
        this.applied = new boolean[shardSlots];
    }

    public long version() {
        return version;
    }

    public int[] dropped() {
        return dropped;
    }

    public int[] adopted() {
        return adopted;
    }

    /** Where adopted partition {@code adopted()[i]}'s state comes from; {@code null}: nowhere, start empty. */
    public Path adoptedFrom(int i) {
        return adoptedFrom[i];
    }

    /** Partitions that continue at the event time the checkpoint holding their state recorded. */
    public int[] timed() {
        return timed;
    }

    /** The event time timed partition {@code timed()[i]} had reached in its checkpoint: it resumes there, not at none. */
    public long timedWatermark(int i) {
        return timedWatermarks[i];
    }

    /** Called by shard {@code slot}'s thread on each arrival: true the first time only. */
    public boolean firstArrival(int slot) {
        if (applied[slot]) {
            return false;
        }
        applied[slot] = true;
        return true;
    }
}
