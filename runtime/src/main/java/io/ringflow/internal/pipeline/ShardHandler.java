package io.ringflow.internal.pipeline;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.EventHandler;
import io.ringflow.internal.PipelineAbortedException;
import io.ringflow.internal.checkpoint.CheckpointedWatermarks;
import io.ringflow.internal.checkpoint.PendingCheckpoint;
import io.ringflow.internal.operator.PartitionChange;
import io.ringflow.internal.operator.PositionMark;
import io.ringflow.internal.operator.ShardClock;
import io.ringflow.internal.plan.ShardChain;
import io.ringflow.watermark.PartitionWatermarkTracker;
import io.ringflow.watermark.WatermarkTracker;
import io.ringflow.watermark.Watermarks;

/**
 * The consumer of one shard's ring buffer: hands each record to the stage's fused chain,
 * keeps the shard's watermark (the minimum over its inputs, carried in-band by every event),
 * tells the chain when it advances, flushes the chain and forwards an advanced watermark at
 * the end of every batch, and, once every input of the shard has ended, closes the chain and
 * tells the next stages. Runs on the shard's one thread.
 */
final class ShardHandler implements EventHandler<RecordEvent> {

    private final String name;
    private final ShardChain chain;
    private final int expectedEnds;
    private final ShardClock clock;
    private final WatermarkTracker watermarks;
    private final RunState runState;
    private BatchEventProcessor<RecordEvent> processor;
    private long forwardedWatermark = Watermarks.NONE;
    /** The watermark as of the last batch end, for the watermark-lag gauge on other threads. */
    private volatile long publishedWatermark = Watermarks.NONE;
    /** Whether the next stages were told this shard is idle (every input idle). */
    private boolean idleForwarded;
    private int ends;
    /** Inputs that have ended (they count as aligned for every later checkpoint). */
    private final boolean[] ended;
    /** The checkpoint whose barriers are coming in, or {@code null}. */
    private PendingCheckpoint aligning;
    private boolean[] barrierFrom;
    private int aligned;
    /** Events of inputs past their barrier, held until alignment completes. */
    private final java.util.ArrayList<RecordEvent> stash = new java.util.ArrayList<>();
    private boolean done;
    private boolean closed;
    private volatile long finalWatermark = Watermarks.NONE;

    /** This shard's index among every stage's shards, for {@code PartitionChange.firstArrival}. */
    private final int slot;
    /** Per state partition, the version of the last partition change applied to it here. */
    private long[] partitionVersions = new long[0];

    /** Whether any operator has processing-time triggers; if none, the batch end skips the clock. */
    private final boolean readsProcessingTime;

    /** Partitioned event time (shared checkpoints): each state partition's watermark; {@code null} otherwise. */
    private final PartitionWatermarkTracker partitionWatermarks;
    /** Held in a field so forwarding at each batch end allocates nothing. */
    private final PartitionWatermarkTracker.Advanced forwardPartitionWatermark;

    ShardHandler(String name, int slot, ShardChain chain, int expectedEnds, ShardClock clock,
                 boolean readsProcessingTime, boolean partitionedTime, RunState runState) {
        this.slot = slot;
        this.partitionWatermarks = partitionedTime ? new PartitionWatermarkTracker(Math.max(1, expectedEnds)) : null;
        this.forwardPartitionWatermark = chain::broadcastPartitionWatermark;
        this.readsProcessingTime = readsProcessingTime;
        this.name = name;
        this.chain = chain;
        this.expectedEnds = expectedEnds;
        this.clock = clock;
        this.watermarks = new WatermarkTracker(Math.max(1, expectedEnds));
        this.ended = new boolean[Math.max(1, expectedEnds)];
        this.runState = runState;
    }

    long publishedWatermark() {
        return publishedWatermark;
    }

    void attach(BatchEventProcessor<RecordEvent> processor) {
        this.processor = processor;
    }

    @Override
    public void onStart() {
        try {
            chain.open();
            // A shard resumed from a checkpoint tells the next stages its event time at once:
            // an input that sends nothing more must not hold them at none.
            forwardWatermark();
            if (expectedEnds == 0) {
                // A shard no input reaches (fewer source readers than shards) ends at once.
                finish();
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    @Override
    public void onEvent(RecordEvent event, long sequence, boolean endOfBatch) {
        if (done) {
            return;
        }
        if (aligning != null && event.kind != RecordEvent.TICK && event.input >= 0 && barrierFrom[event.input]
                && event.kind != RecordEvent.END_OF_INPUT) {
            // After its barrier, an input's events belong to the next checkpoint: hold them
            // until every input's barrier is in (aligned), as Flink's aligned checkpoints do.
            stash.add(copyOf(event));
            if (aligning.abortedBecause() != null) {
                completeAlignment();
            }
            return;
        }
        try {
            if (event.kind == RecordEvent.BARRIER) {
                PendingCheckpoint checkpoint = (PendingCheckpoint) event.value;
                event.value = null;
                onBarrier(event.input, checkpoint);
            } else if (event.kind == RecordEvent.RECORD) {
                idleForwarded = false;
                clock.ingestNanos = event.ingestNanos;
                clock.partition = event.partition;
                clock.recordWatermark = event.sourceWatermark;
                // Judged against the watermark before it; what it sends on carries the one after it.
                boolean advanced = watermarks.update(event.input, event.watermark);
                boolean partitionAdvanced = false;
                if (partitionWatermarks != null) {
                    partitionAdvanced = partitionWatermarks.update(event.input, event.partition, event.partitionWatermark);
                    clock.partitionWatermark = partitionWatermarks.current(event.partition);
                }
                clock.outgoingWatermark = watermarks.current();
                chain.entry(event.entry).push(event.key, event.value, event.timestamp);
                if (advanced) {
                    clock.watermark = clock.outgoingWatermark;
                    chain.onWatermark(clock.watermark);
                }
                if (partitionAdvanced) {
                    onPartitionAdvanced(event.partition);
                }
            } else if (event.kind == RecordEvent.PARTITION_WATERMARK) {
                if (partitionWatermarks != null
                        && partitionWatermarks.update(event.input, event.partition, event.partitionWatermark)) {
                    onPartitionAdvanced(event.partition);
                }
            } else if (event.kind == RecordEvent.WATERMARK) {
                idleForwarded = false;
                advance(event.input, event.watermark);
            } else if (event.kind == RecordEvent.IDLE) {
                if (watermarks.markIdle(event.input)) {
                    clock.watermark = clock.outgoingWatermark = watermarks.current();
                    chain.onWatermark(clock.watermark);
                }
                if (watermarks.isIdle() && !idleForwarded) {
                    idleForwarded = true;
                    chain.broadcastIdle();
                }
            } else if (event.kind == RecordEvent.MARK) {
                PositionMark mark = (PositionMark) event.value;
                event.value = null;
                chain.forwardMark(mark);
            } else if (event.kind == RecordEvent.PARTITIONS) {
                PartitionChange change = (PartitionChange) event.value;
                event.value = null;
                if (change.firstArrival(slot)) {
                    forwardPartitionWatermarks(); // what the partitions reached here goes ahead of their move
                    chain.changePartitions(change, partition -> newer(partition, change.version()));
                    resumePartitionTime(event.input, change);
                }
            } else if (event.kind == RecordEvent.TICK) {
                // nothing to do but reach the end of the batch, where processing time is read
            } else {
                ended[event.input] = true;
                if (aligning != null && !barrierFrom[event.input]) {
                    barrierFrom[event.input] = true; // an ended input has nothing more for this checkpoint
                    if (++aligned == barrierFrom.length) {
                        completeAlignment();
                    }
                }
                // An input that ran out (or never had any) holds nothing back any more: its last
                // watermark counts, then it is idle. A stopping pipeline's inputs keep holding it:
                // were they idle, the largest of their watermarks would close windows the slower
                // inputs still fill after the restart, and be recorded as where event time stands.
                boolean advanced = watermarks.update(event.input, event.watermark);
                if (!runState.isStopping()) {
                    advanced |= watermarks.markIdle(event.input);
                }
                if (advanced) {
                    clock.watermark = clock.outgoingWatermark = watermarks.current();
                    chain.onWatermark(clock.watermark);
                }
                if (++ends == expectedEnds) {
                    finish();
                    return;
                }
            }
            if (endOfBatch) {
                endBatch();
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void endBatch() {
        if (readsProcessingTime) {
            chain.onProcessingTime(System.currentTimeMillis());
        }
        chain.endOfBatch();
        forwardPartitionWatermarks();
        forwardWatermark();
    }

    private void forwardWatermark() {
        if (clock.watermark > forwardedWatermark) {
            forwardedWatermark = clock.watermark;
            publishedWatermark = forwardedWatermark;
            chain.broadcastWatermark(forwardedWatermark);
        }
    }

    /**
     * Starts this shard at the watermark a restored checkpoint recorded for it: records that
     * were late before the restore are judged late again, and windows closed before it stay
     * closed. Call before the shard starts.
     */
    void resumeAt(long watermark) {
        watermarks.resumeAt(watermark);
        clock.watermark = clock.outgoingWatermark = watermarks.current();
    }

    /** The index of this shard among every stage's shards: where its watermark goes in a checkpoint. */
    int slot() {
        return slot;
    }

    /**
     * Puts the watermark this shard ended at among the final checkpoint's {@code positions};
     * nothing when it has not ended or its input ran out (a restart then starts event time
     * afresh rather than judging every new record late against the end of time).
     */
    void recordFinalWatermark(java.util.Map<String, byte[]> positions) {
        recordWatermark(finalWatermark, positions::put);
    }

    private void recordWatermark(long watermark, java.util.function.BiConsumer<String, byte[]> positions) {
        if (watermark != Watermarks.NONE) {
            positions.accept(CheckpointedWatermarks.shardKey(slot), CheckpointedWatermarks.encodeShard(watermark));
        }
    }

    private void onBarrier(int input, PendingCheckpoint checkpoint) throws InterruptedException {
        if (aligning == null) {
            aligning = checkpoint;
            barrierFrom = new boolean[ended.length];
            aligned = 0;
            for (int i = 0; i < ended.length; i++) {
                if (ended[i]) {
                    barrierFrom[i] = true;
                    aligned++;
                }
            }
        }
        if (!barrierFrom[input]) {
            barrierFrom[input] = true;
            aligned++;
        }
        if (aligned == barrierFrom.length) {
            completeAlignment();
        }
    }

    /**
     * Every input's barrier is in: writes the shard's state through, passes the barrier on,
     * waits (paused) until the checkpoint is written, then replays what it held back.
     */
    private void completeAlignment() {
        PendingCheckpoint checkpoint = aligning;
        aligning = null;
        try {
            if (checkpoint.abortedBecause() == null) {
                chain.flushState();
                // The next stages record their watermark at this cut too: it must include every
                // record before the barrier, which the batch end would only forward after it.
                forwardWatermark();
                recordWatermark(clock.watermark, checkpoint::position);
                chain.forwardBarrier(checkpoint);
                checkpoint.shardReady(runState::isAborted);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!stash.isEmpty()) {
            RecordEvent[] held = stash.toArray(new RecordEvent[0]);
            stash.clear();
            for (RecordEvent event : held) {
                onEvent(event, -1, false);
            }
            if (!done) {
                endBatch();
            }
        }
    }

    /**
     * Partitions this change brought in, or kept from the restored checkpoint, continue at the
     * event time their checkpoint recorded, so their records are judged as they would have been
     * where (or before) that checkpoint was taken. Skipped for a partition a newer change has
     * already reached.
     */
    private void resumePartitionTime(int input, PartitionChange change) {
        if (partitionWatermarks == null) {
            return;
        }
        int[] timed = change.timed();
        for (int i = 0; i < timed.length; i++) {
            int partition = timed[i];
            long applied = partition < partitionVersions.length ? partitionVersions[partition] : 0;
            if (applied <= change.version() && partitionWatermarks.update(input, partition, change.timedWatermark(i))) {
                onPartitionAdvanced(partition);
            }
        }
    }

    /** Partition {@code partition}'s watermark advanced: its windows close up to it, what they emit belongs to it. */
    private void onPartitionAdvanced(int partition) {
        clock.partition = partition;
        clock.partitionWatermark = partitionWatermarks.current(partition);
        chain.onPartitionWatermark(partition, clock.partitionWatermark);
    }

    /** Tells the next stages how far each partition that advanced in this batch has got, once per batch. */
    private void forwardPartitionWatermarks() {
        if (partitionWatermarks != null && partitionWatermarks.anyAdvanced()) {
            partitionWatermarks.drainAdvanced(forwardPartitionWatermark);
        }
    }

    /**
     * Whether a change of version {@code version} is the newest to reach {@code partition} here;
     * records it if so, and forgets the partition's watermark: the copy that moves in may be older.
     */
    private boolean newer(int partition, long version) {
        if (partition >= partitionVersions.length) {
            partitionVersions = java.util.Arrays.copyOf(partitionVersions, partition + 1);
        }
        if (version <= partitionVersions[partition]) {
            return false;
        }
        partitionVersions[partition] = version;
        if (partitionWatermarks != null) {
            partitionWatermarks.reset(partition);
        }
        return true;
    }

    private static RecordEvent copyOf(RecordEvent event) {
        RecordEvent copy = new RecordEvent();
        copy.kind = event.kind;
        copy.entry = event.entry;
        copy.input = event.input;
        copy.watermark = event.watermark;
        copy.key = event.key;
        copy.value = event.value;
        copy.timestamp = event.timestamp;
        copy.partition = event.partition;
        copy.partitionWatermark = event.partitionWatermark;
        copy.sourceWatermark = event.sourceWatermark;
        copy.ingestNanos = event.ingestNanos;
        return copy;
    }

    @Override
    public void onShutdown() {
        if (!closed) {
            closed = true;
            try {
                chain.close();
            } catch (Throwable t) {
                fail(t);
            }
        }
    }

    private void advance(int input, long watermark) {
        if (watermarks.update(input, watermark)) {
            clock.watermark = clock.outgoingWatermark = watermarks.current();
            chain.onWatermark(clock.watermark);
        }
    }

    private void finish() {
        if (clock.watermark != Long.MAX_VALUE) {
            finalWatermark = clock.watermark;
        }
        chain.endOfBatch();
        done = true;
        closed = true;
        chain.close();
        chain.endOfInput(clock.watermark);
        processor.halt();
    }

    private void fail(Throwable t) {
        done = true;
        if (!(t instanceof PipelineAbortedException)) {
            runState.fail(t, name);
        }
    }
}
