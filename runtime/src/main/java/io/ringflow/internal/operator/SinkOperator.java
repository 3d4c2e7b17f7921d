package io.ringflow.internal.operator;

import io.ringflow.error.UndeliveredRecordsException;
import io.ringflow.Sink;
import io.ringflow.internal.metrics.LatencyMeter;
import io.ringflow.internal.metrics.ShardCounter;

/**
 * The end of a chain: writes records to a user's sink and flushes it at end of batch. The
 * sink is shared by every shard, so it is closed once by the runtime after the last shard
 * ends, not here.
 */
public final class SinkOperator extends Operator {

    private final Sink<Object> sink;

    private final ShardCounter written;
    private final LatencyMeter.Recorder latency;
    private final ShardClock clock;

    public SinkOperator(OperatorContext context, Sink<Object> sink) {
        super(context);
        this.sink = sink;
        this.written = context.recordsOut();
        this.latency = context.metrics().endToEndLatency(context.name()).newRecorder();
        this.clock = context.clock();
    }

    @Override
    protected void process(Object key, Object value, long timestamp) {
        try {
            sink.write(value, timestamp);
        } catch (Exception e) {
            context.recordFailure(key, value, timestamp, e);
            return;
        }
        written.increment();
        latency.recordSince(clock.ingestNanos);
    }

    @Override
    public void endOfBatch() {
        try {
            sink.flush();
        } catch (Exception e) {
            reportFailure("<flush>", e);
        }
    }

    @Override
    public void sync() {
        try {
            sink.sync();
        } catch (Exception e) {
            reportFailure("<sync>", e);
        }
    }

    /**
     * At a checkpoint's cut: everything written before the barrier must be delivered before
     * the checkpoint can complete, or a source would commit input whose output a crash then
     * loses.
     */
    @Override
    public void flushState() {
        super.flushState();
        sync();
    }

    /** Records the sink names as undelivered go to the error handler one by one, each as itself. */
    private void reportFailure(String call, Exception e) {
        if (e instanceof UndeliveredRecordsException undelivered) {
            for (UndeliveredRecordsException.Undelivered record : undelivered.records()) {
                context.recordFailure(null, record.value(), record.timestamp(), record.cause());
            }
        } else {
            context.recordFailure(null, call, -1L, e);
        }
    }
}
