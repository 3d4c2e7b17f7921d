package io.ringflow.internal.pipeline;

import io.ringflow.InputCommits;
import io.ringflow.PartitionHandover;
import io.ringflow.SourceContext;
import io.ringflow.error.ErrorHandler;
import io.ringflow.error.FailedRecord;
import io.ringflow.error.RecordProcessingException;
import io.ringflow.internal.PipelineAbortedException;
import io.ringflow.internal.graph.SourceNode;
import io.ringflow.internal.metrics.PipelineMetrics;
import io.ringflow.internal.metrics.ShardCounter;
import io.ringflow.internal.operator.OperatorContext;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The {@link SourceContext} a reader's source emits through. Each emit places a requested
 * checkpoint's barrier first, gives the record its event time and publishes it into the ring
 * of the shard the reader feeds: the hot path, with no allocation and no lock. Used on the
 * reader's thread only.
 */
final class ReaderContext implements SourceContext<Object> {

    private final SourceNode node;
    private final int reader;
    private final int entry;
    /** This reader's input index at the shard it feeds. */
    private final int input;
    private final RingPublisher publisher;
    private final RunState runState;
    private final ErrorHandler errorHandler;
    private final PipelineMetrics metrics;
    /** Records this reader emitted: its {@code ringflow.records.out}, tagged with the reader as shard. */
    private final ShardCounter emitted;
    private final ReaderEventTime eventTime;
    private final ReaderCheckpoints checkpoints;
    private final ReaderMarks marks;
    /** Present only with shared checkpoints. */
    private Optional<PartitionHandover> handover = Optional.empty();

    ReaderContext(SourceNode node, int reader, int entry, int input, RingPublisher publisher, RunState runState,
                  ErrorHandler errorHandler, PipelineMetrics metrics, ShardCounter emitted, ReaderEventTime eventTime,
                  ReaderCheckpoints checkpoints) {
        this.node = node;
        this.reader = reader;
        this.entry = entry;
        this.input = input;
        this.publisher = publisher;
        this.runState = runState;
        this.errorHandler = errorHandler;
        this.metrics = metrics;
        this.emitted = emitted;
        this.eventTime = eventTime;
        this.checkpoints = checkpoints;
        this.marks = new ReaderMarks(input, publisher, runState, checkpoints);
    }

    /** Before the reader starts, with shared checkpoints. */
    void handover(PartitionHandover handover) {
        this.handover = Optional.of(handover);
    }

    @Override
    public int reader() {
        return reader;
    }

    @Override
    public int readers() {
        return node.source().readers();
    }

    @Override
    public boolean isRunning() {
        checkpoints.safePoint();
        return runState.sourcesRunning();
    }

    @Override
    public void emit(Object value) {
        emit(value, System.currentTimeMillis());
    }

    @Override
    public void emit(Object value, long timestamp) {
        emit(value, timestamp, 0);
    }

    @Override
    public void emit(Object value, long timestamp, int split) {
        checkAlive();
        checkpoints.safePoint();
        if (!observe(value, timestamp, split)) {
            return; // the error handler has it
        }
        long watermark = eventTime.current();
        publisher.publishRecord(entry, input, null, value, eventTime.eventTime(), System.nanoTime(), watermark,
                watermark, eventTime.partitionOf(split), eventTime.splitWatermark(split));
        emitted.increment();
    }

    @Override
    public boolean tryEmit(Object value, long timestamp, int split) {
        checkAlive();
        checkpoints.safePoint();
        if (publisher.remainingCapacity() == 0) {
            return false; // judged before the watermark moves, so a refused record changes nothing
        }
        if (!observe(value, timestamp, split)) {
            return true; // taken by the error handler: the source moves past it
        }
        long time = eventTime.eventTime();
        // This reader is the ring's only publisher of records, so the slot seen free is still free
        // unless the timer took it for a tick; then the record waits for one slot, as emit would.
        int partition = eventTime.partitionOf(split);
        long partitionWatermark = eventTime.splitWatermark(split);
        long watermark = eventTime.current();
        if (!publisher.tryPublishRecord(entry, input, value, time, System.nanoTime(), watermark, watermark,
                partition, partitionWatermark)) {
            publisher.publishRecord(entry, input, null, value, time, System.nanoTime(), watermark, watermark,
                    partition, partitionWatermark);
        }
        emitted.increment();
        return true;
    }

    private void checkAlive() {
        if (runState.isAborted()) {
            throw new PipelineAbortedException();
        }
    }

    /** {@link ReaderEventTime#observe}; a record the error handler fails fails the pipeline now. */
    private boolean observe(Object value, long timestamp, int split) {
        try {
            return eventTime.observe(value, timestamp, split);
        } catch (RecordProcessingException failure) {
            // Fail now, not when the source rethrows: a source may catch and carry on.
            runState.fail(failure, "source '" + node.name() + "' reader " + reader);
            throw new PipelineAbortedException();
        }
    }

    @Override
    public void addSplit(int split) {
        eventTime.addSplit(split);
    }

    @Override
    public void removeSplit(int split) {
        eventTime.removeSplit(split);
    }

    @Override
    public boolean checkpointing() {
        return checkpoints.enabled();
    }

    @Override
    public void positionForCheckpoints(LongFunction<byte[]> position) {
        checkpoints.positionFrom(position);
    }

    @Override
    public Optional<byte[]> restoredPosition() {
        return checkpoints.restoredPosition();
    }

    @Override
    public void reportError(Object rawInput, Exception cause) {
        try {
            OperatorContext.handleFailure(errorHandler, metrics, new FailedRecord(node.name(), "source", reader, null,
                    rawInput, System.currentTimeMillis(), cause));
        } catch (RecordProcessingException failure) {
            // Fail now, not when the source rethrows: a source may catch and carry on.
            runState.fail(failure, "source '" + node.name() + "' reader " + reader);
            throw new PipelineAbortedException();
        }
    }

    @Override
    public InputCommits inputCommits() {
        return marks;
    }

    @Override
    public Optional<PartitionHandover> partitionHandover() {
        return handover;
    }
}
