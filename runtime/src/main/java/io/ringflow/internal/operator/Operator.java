package io.ringflow.internal.operator;

/**
 * One shard's instance of an operator in a fused chain. Instances are created per shard and
 * driven by that shard's single thread, so they keep per-shard state without locks.
 */
public abstract class Operator implements Output {

    protected final OperatorContext context;

    protected Operator(OperatorContext context) {
        this.context = context;
    }

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

    /** Called once, on the shard's thread, after the last record (or when the pipeline fails). */
    public void close() {
    }
}
