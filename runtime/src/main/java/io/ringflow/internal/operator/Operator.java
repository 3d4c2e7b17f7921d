package io.ringflow.internal.operator;

import io.ringflow.internal.metrics.ShardCounter;
import java.nio.file.Path;

/**
 * One shard's instance of an operator in a fused chain. Instances are created per shard and
 * driven by that shard's single thread, so they keep per-shard state without locks.
 */
public abstract class Operator implements Output {

    protected final OperatorContext context;
    private final ShardCounter recordsIn;

    protected Operator(OperatorContext context) {
        this.context = context;
        this.recordsIn = context.metrics().recordsIn(context.name(), context.shard());
    }

    /**
     * Counts the record for {@code ringflow.records.in} and processes it. Final, and the count
     * lives here rather than in a wrapper, so each upstream call site still sees one operator
     * type and the JIT inlines the whole fused chain.
     */
    @Override
    public final void push(Object key, Object value, long timestamp) {
        recordsIn.increment();
        try {
            process(key, value, timestamp);
        } catch (Error e) {
            // The innermost operator names itself; the operators around it see a RuntimeException.
            throw context.fatal(key, value, timestamp, e);
        }
    }

    /** This shard's count of records received. */
    public ShardCounter recordsIn() {
        return recordsIn;
    }

    /** Handles one record: results go to the operator's output, failures to {@code context.recordFailure}. */
    protected abstract void process(Object key, Object value, long timestamp);

    /** Called on the shard's thread before the first record. */
    public void open() {
    }

    /**
     * The shard's watermark advanced to {@code watermark}: event-time operators close what it
     * completes here. Called on upstream operators of the chain before downstream ones, so
     * what an operator emits reaches the next before the watermark does.
     */
    public void onWatermark(long watermark) {
    }

    /**
     * Partitioned event time (shared checkpoints): state partition {@code partition}'s own
     * watermark advanced to {@code watermark}; event-time operators close that partition's
     * complete windows here. The shard clock's partition is set to it.
     */
    public void onPartitionWatermark(int partition, long watermark) {
    }

    /** Processing time passed; called at the end of every batch with the wall clock (ms). */
    public void onProcessingTime(long nowMillis) {
    }

    /** Called at the end of every ring-buffer batch: flush buffers here, never on a timer. */
    public void endOfBatch() {
    }

    /**
     * A source's position mark has arrived: everything this operator wrote before it must be
     * durable at its destination when this returns (sinks sync; nothing else to do).
     */
    public void sync() {
    }

    /** A checkpoint is being taken: every store of this operator is written through to its backend. */
    public void flushState() {
        context.flushState();
    }

    /**
     * State partition {@code partition} has moved to another instance, which takes it from the
     * last checkpoint: keyed operators close and delete their state of it.
     */
    public void dropPartition(int partition) {
    }

    /**
     * State partition {@code partition} has moved here: keyed operators replace their state of
     * it with the copy in checkpoint directory {@code checkpoint} ({@code null}: start empty).
     */
    public void adoptPartition(int partition, Path checkpoint) {
    }

    /** Called once, on the shard's thread, after the last record (or when the pipeline fails). */
    public void close() {
    }
}
