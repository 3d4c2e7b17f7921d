package io.ringflow.internal.operator;

import io.ringflow.function.TimeDomain;
import io.ringflow.state.TimerStore;

/**
 * When a keyed {@code process}'s timers fire on one shard, in which order, and what the shard
 * clock says meanwhile.
 *
 * <p>Event-time timers fire when the watermark reaches them: the shard's watermark, or with
 * partitioned event time (shared checkpoints) each partition's own, as windows close. Partition
 * by partition, in partition order; within one, earliest first, ties by the keys' serialized
 * bytes. They fire before the chain's later operators see the watermark, and what they emit is
 * sent as if before the advance: judged, here and in the next stages, against the watermark
 * before it, which those stages keep until the emissions are in. So the watermark that fires a
 * timer never makes its output late. A record whose watermark advance will fire timers has its
 * own outputs sent that way too (see {@link #holdsBack}), else they would carry the advance to
 * the next stage ahead of the timers' outputs.
 *
 * <p>Processing-time timers fire when the shard reads its clock: at every batch end and tick.
 *
 * <p>Cost per watermark advance and per batch end: one comparison with a lower bound of the
 * earliest timer, while nothing is due. Nothing is allocated per record or per timer here.
 */
final class TimerFiring {

    /** Runs one fired timer: the operator calls its function's {@code onTimer}. */
    interface Target {
        void onTimer(ProcessPartition partition, TimeDomain domain, long timestamp, Object key, long watermark);
    }

    private final PartitionedState<ProcessPartition> partitions;
    private final ShardClock clock;
    /** The clock as an advance found it, while what the advance makes due is emitted. */
    private final ShardClock.Saved saved = new ShardClock.Saved();
    private final boolean partitionedTime;
    private final Target target;
    /** The shard's watermark as this operator last applied it. */
    private long watermark;
    /** No event-time timer of any open partition is earlier (unpartitioned event time). */
    private long eventBound = Long.MAX_VALUE;

    // What is firing now: one handler object of each domain serves every poll.
    private ProcessPartition firing;
    private long firingWatermark;
    private final TimerStore.Expired<Object> eventTimer;
    private final TimerStore.Expired<Object> processingTimer;

    /** Call when the shard starts: its clock holds the watermark a restore resumed at. */
    TimerFiring(PartitionedState<ProcessPartition> partitions, ShardClock clock, boolean partitionedTime,
                Target target) {
        this.partitions = partitions;
        this.clock = clock;
        this.partitionedTime = partitionedTime;
        this.target = target;
        this.watermark = clock.watermark;
        this.eventTimer = (time, key) -> target.onTimer(firing, TimeDomain.EVENT_TIME, time, key, firingWatermark);
        this.processingTimer = (time, key) -> target.onTimer(firing, TimeDomain.PROCESSING_TIME, time, key,
                clock.watermark);
    }

    /** A partition was opened, with whatever timers it had (a restore, an import). */
    void opened(ProcessPartition partition) {
        eventBound = Math.min(eventBound, partition.eventTimers.lowerBound());
    }

    /** An event-time timer was registered at {@code timestamp}. */
    void registered(long timestamp) {
        eventBound = Math.min(eventBound, timestamp);
    }

    /**
     * The watermark the event-time timers of {@code partition}'s keys fire against, as it
     * stands: the partition's with partitioned event time, else the shard's.
     */
    long watermark(ProcessPartition partition) {
        return partitionedTime ? partition.watermark : clock.watermark;
    }

    /**
     * Whether the record being processed (of {@code partition}) advances the watermark to where
     * event-time timers may be due: then what it emits must not carry that advance. The bound
     * is cheap and may say yes when nothing turns out due; that costs one early forward.
     */
    boolean holdsBack(ProcessPartition partition) {
        if (partitionedTime) {
            return clock.partitionWatermark > partition.watermark
                    && clock.partitionWatermark >= partition.eventTimers.lowerBound();
        }
        return clock.outgoingWatermark > clock.watermark && clock.outgoingWatermark >= eventBound;
    }

    /**
     * Makes what is emitted until {@link #release} carry the watermark from before the
     * current advance, and asks the shard to forward the advance as soon as it is applied.
     */
    void holdBack(ProcessPartition partition) {
        clock.outgoingWatermark = clock.watermark;
        clock.partitionWatermark = partition.watermark;
        clock.watermarkHeldBack = true;
    }

    /** Undoes {@link #holdBack}: the clock carries {@code outgoing} and {@code partitionWatermark} again. */
    void release(long outgoing, long partitionWatermark) {
        clock.outgoingWatermark = outgoing;
        clock.partitionWatermark = partitionWatermark;
    }

    /** The shard's watermark advanced: fires what it makes due (with partitioned event time, only at the end of input). */
    void onWatermark(long advanced) {
        long before = watermark;
        watermark = advanced;
        if (partitionedTime ? advanced != Long.MAX_VALUE : advanced < eventBound) {
            return; // partitions fire on their own watermarks; or nothing can be due
        }
        long bound = Long.MAX_VALUE;
        for (int p = 0; p < partitions.bound(); p++) {
            ProcessPartition partition = partitions.opened(p);
            if (partition != null) {
                long from = before;
                if (partitionedTime) {
                    from = partition.watermark;
                    partition.watermark = advanced;
                }
                fireEventTimers(partition, p, from, advanced);
                bound = Math.min(bound, partition.eventTimers.lowerBound());
            }
        }
        eventBound = bound;
    }

    /** Partitioned event time: partition {@code partition}'s own watermark advanced. */
    void onPartitionWatermark(int partition, long advanced) {
        if (!partitionedTime) {
            return;
        }
        ProcessPartition opened = partitions.get(partition);
        if (advanced > opened.watermark) {
            long before = opened.watermark;
            opened.watermark = advanced;
            fireEventTimers(opened, partition, before, advanced);
        }
    }

    /**
     * Fires {@code partition}'s event-time timers up to {@code advanced}, with the clock set to
     * {@code before} (for judging lateness and for what emissions carry) and put back after.
     */
    private void fireEventTimers(ProcessPartition partition, int index, long before, long advanced) {
        if (advanced < partition.eventTimers.lowerBound()) {
            return;
        }
        clock.holdBack(before, index, partitionedTime, saved);
        firing = partition;
        firingWatermark = advanced;
        try {
            partition.eventTimers.pollUpTo(advanced, eventTimer);
        } finally {
            firing = null;
            clock.restore(saved);
        }
    }

    /** Processing time is {@code now}: fires every partition's processing-time timers up to it. */
    void onProcessingTime(long now) {
        int current = clock.partition;
        try {
            for (int p = 0; p < partitions.bound(); p++) {
                ProcessPartition partition = partitions.opened(p);
                if (partition != null && now >= partition.processingTimers.lowerBound()) {
                    clock.partition = p;
                    firing = partition;
                    partition.processingTimers.pollUpTo(now, processingTimer);
                }
            }
        } finally {
            firing = null;
            clock.partition = current;
        }
    }
}
