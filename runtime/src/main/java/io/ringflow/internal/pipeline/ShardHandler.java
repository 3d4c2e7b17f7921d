package io.ringflow.internal.pipeline;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.EventHandler;
import io.ringflow.internal.PipelineAbortedException;
import io.ringflow.internal.checkpoint.CheckpointedWatermarks;
import io.ringflow.internal.checkpoint.PendingCheckpoint;
import io.ringflow.internal.handoff.PartitionChange;
import io.ringflow.internal.operator.PositionMark;
import io.ringflow.internal.operator.ShardClock;
import io.ringflow.internal.plan.ShardChain;
import io.ringflow.watermark.WatermarkTracker;
import io.ringflow.watermark.Watermarks;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The consumer of one shard's ring buffer: hands each record to the stage's fused chain,
 * keeps the shard's watermark (the minimum over its inputs, carried in-band by every event),
 * tells the chain when it advances, flushes the chain and forwards an advanced watermark at
 * the end of every batch, and, once every input of the shard has ended, closes the chain and
 * tells the next stages. Each event kind has its own method; checkpoint barriers are aligned
 * by {@link BarrierAlignment} and partitions' own event time is kept by {@link PartitionTime}.
 * Runs on the shard's one thread.
 */
final class ShardHandler implements EventHandler<RecordEvent> {

    private final String name;
    private final ShardChain chain;
    private final int expectedEnds;
    private final ShardClock clock;
    private final WatermarkTracker watermarks;
    private final BarrierAlignment alignment;
    private final PartitionTime partitionTime;
    private final RunState runState;
    /** The ring's consumer; {@code null} when the shard's chain runs on its reader's thread. */
    private BatchEventProcessor<RecordEvent> processor;
    private long forwardedWatermark = Watermarks.NONE;
    /** The watermark as of the last batch end, for the watermark-lag gauge on other threads. */
    private volatile long publishedWatermark = Watermarks.NONE;
    /** Whether the next stages were told this shard is idle (every input idle). */
    private boolean idleForwarded;
    private int ends;
    private boolean done;
    private boolean closed;
    private volatile long finalWatermark = Watermarks.NONE;

    /** This shard's index among every stage's shards, for {@code PartitionChange.firstArrival}. */
    private final int slot;

    /** Whether any operator has processing-time triggers; if none, the batch end skips the clock. */
    private final boolean readsProcessingTime;

    ShardHandler(String name, int slot, ShardChain chain, int expectedEnds, ShardClock clock,
                 boolean readsProcessingTime, boolean partitionedTime, RunState runState) {
        int inputs = Math.max(1, expectedEnds);
        this.slot = slot;
        this.partitionTime = new PartitionTime(inputs, partitionedTime, chain, clock);
        this.readsProcessingTime = readsProcessingTime;
        this.name = name;
        this.chain = chain;
        this.expectedEnds = expectedEnds;
        this.clock = clock;
        this.watermarks = new WatermarkTracker(inputs);
        this.alignment = new BarrierAlignment(inputs);
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
        if (alignment.holds(event)) {
            alignment.hold(event);
            if (alignment.givenUp()) {
                completeAlignment();
            }
            return;
        }
        try {
            switch (event.kind) {
                case RecordEvent.RECORD -> onRecord(event);
                case RecordEvent.WATERMARK -> onWatermark(event);
                case RecordEvent.PARTITION_WATERMARK ->
                        partitionTime.onWatermark(event.input, event.partition, event.partitionWatermark);
                case RecordEvent.IDLE -> onIdle(event);
                case RecordEvent.BARRIER -> onBarrier(event);
                case RecordEvent.MARK -> onMark(event);
                case RecordEvent.PARTITIONS -> onPartitions(event);
                case RecordEvent.TICK -> {
                    // nothing to do but reach the end of the batch, where processing time is read
                }
                case RecordEvent.END_OF_INPUT -> {
                    if (onEndOfInput(event)) {
                        return; // the shard has finished: no batch end after it
                    }
                }
                default -> throw new IllegalStateException("shard " + name + " received an event of unknown kind "
                        + event.kind + " from input " + event.input);
            }
            if (clock.watermarkHeldBack) {
                forwardHeldBack();
            }
            if (endOfBatch) {
                endBatch();
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void onRecord(RecordEvent event) {
        idleForwarded = false;
        clock.ingestNanos = event.ingestNanos;
        clock.partition = event.partition;
        clock.recordWatermark = event.sourceWatermark;
        // Judged against the watermark before it; what it sends on carries the one after it.
        boolean advanced = watermarks.update(event.input, event.watermark);
        boolean partitionAdvanced = partitionTime.beforeRecord(event.input, event.partition, event.partitionWatermark);
        clock.outgoingWatermark = watermarks.current();
        chain.entry(event.entry).push(event.key, event.value, event.timestamp);
        if (advanced) {
            clock.watermark = clock.outgoingWatermark;
            chain.onWatermark(clock.watermark);
        }
        if (partitionAdvanced) {
            partitionTime.onAdvanced(event.partition);
        }
    }

    private void onWatermark(RecordEvent event) {
        idleForwarded = false;
        if (watermarks.update(event.input, event.watermark)) {
            clock.watermark = clock.outgoingWatermark = watermarks.current();
            chain.onWatermark(clock.watermark);
        }
    }

    private void onIdle(RecordEvent event) {
        if (watermarks.markIdle(event.input)) {
            clock.watermark = clock.outgoingWatermark = watermarks.current();
            chain.onWatermark(clock.watermark);
        }
        if (watermarks.isIdle() && !idleForwarded) {
            idleForwarded = true;
            chain.broadcastIdle();
        }
    }

    private void onBarrier(RecordEvent event) {
        PendingCheckpoint checkpoint = (PendingCheckpoint) event.value;
        event.value = null;
        if (alignment.onBarrier(event.input, checkpoint)) {
            completeAlignment();
        }
    }

    private void onMark(RecordEvent event) {
        PositionMark mark = (PositionMark) event.value;
        event.value = null;
        chain.forwardMark(mark);
    }

    private void onPartitions(RecordEvent event) {
        PartitionChange change = (PartitionChange) event.value;
        event.value = null;
        if (change.firstArrival(slot)) {
            partitionTime.forward(); // what the partitions reached here goes ahead of their move
            chain.changePartitions(change, partition -> partitionTime.newer(partition, change.version()));
            partitionTime.resume(event.input, change);
        }
    }

    /**
     * An input ran out (or never had any): it holds nothing back any more, its last watermark
     * counts, then it is idle. A stopping pipeline's inputs keep holding it: were they idle, the
     * largest of their watermarks would close windows the slower inputs still fill after the
     * restart, and be recorded as where event time stands.
     *
     * @return whether that was the shard's last input, and the shard has finished
     */
    private boolean onEndOfInput(RecordEvent event) {
        if (alignment.onEnded(event.input)) {
            completeAlignment();
        }
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
            return true;
        }
        return false;
    }

    private void endBatch() {
        if (readsProcessingTime) {
            chain.onProcessingTime(System.currentTimeMillis());
        }
        chain.endOfBatch();
        partitionTime.forward();
        forwardWatermark();
    }

    /**
     * A keyed process sent records carrying the watermark from before this event's advance (the
     * advance fired its timers): the next stages get the advance now, behind those records and
     * ahead of anything later, rather than at the batch end, so what they see does not depend
     * on where batches end.
     */
    private void forwardHeldBack() {
        clock.watermarkHeldBack = false;
        partitionTime.forward();
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
    void recordFinalWatermark(Map<String, byte[]> positions) {
        recordWatermark(finalWatermark, positions::put);
    }

    private void recordWatermark(long watermark, BiConsumer<String, byte[]> positions) {
        if (watermark != Watermarks.NONE) {
            positions.accept(CheckpointedWatermarks.shardKey(slot), CheckpointedWatermarks.encodeShard(watermark));
        }
    }

    /**
     * Every input's barrier is in (or the checkpoint was given up): writes the shard's state
     * through, passes the barrier on, waits (paused) until the checkpoint is written, then
     * replays what it held back.
     */
    private void completeAlignment() {
        PendingCheckpoint checkpoint = alignment.complete();
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
        RecordEvent[] held = alignment.releaseHeld();
        if (held.length > 0) {
            for (RecordEvent event : held) {
                onEvent(event, -1, false);
            }
            if (!done) {
                endBatch();
            }
        }
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

    private void finish() {
        if (clock.watermark != Long.MAX_VALUE) {
            finalWatermark = clock.watermark;
        }
        chain.endOfBatch();
        done = true;
        closed = true;
        chain.close();
        chain.endOfInput(clock.watermark);
        if (processor != null) {
            processor.halt();
        }
    }

    private void fail(Throwable t) {
        done = true;
        if (!(t instanceof PipelineAbortedException)) {
            runState.fail(t, name);
        }
    }
}
