package io.ringflow.internal.pipeline;

import io.ringflow.SourceContext;
import io.ringflow.error.ErrorHandler;
import io.ringflow.error.FailedRecord;
import io.ringflow.error.RecordProcessingException;
import io.ringflow.internal.PipelineAbortedException;
import io.ringflow.internal.graph.SourceNode;

/**
 * Runs one reader of a source on its own thread, publishing what it emits into the ring
 * buffer of the first-stage shard it feeds, and marking the end of its input when it returns.
 */
final class SourceReaderTask implements Runnable, SourceContext<Object> {

    private final SourceNode node;
    private final int reader;
    private final int entry;
    private final RingPublisher publisher;
    private final ErrorHandler errorHandler;
    private final PipelineRuntime runtime;

    SourceReaderTask(SourceNode node, int reader, int entry, RingPublisher publisher,
                     ErrorHandler errorHandler, PipelineRuntime runtime) {
        this.node = node;
        this.reader = reader;
        this.entry = entry;
        this.publisher = publisher;
        this.errorHandler = errorHandler;
        this.runtime = runtime;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void run() {
        try {
            ((io.ringflow.Source<Object>) node.source()).run(this);
        } catch (PipelineAbortedException aborted) {
            return;
        } catch (Throwable t) {
            if (!(runtime.isStopping() && isInterruption(t))) {
                runtime.fail(t, "source '" + node.name() + "' reader " + reader);
                return;
            }
        }
        if (!runtime.isAborted()) {
            try {
                publisher.publishEndOfInput();
            } catch (PipelineAbortedException aborted) {
                // the pipeline failed while this reader was ending; nothing left to tell
            }
        }
    }

    private static boolean isInterruption(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InterruptedException || c instanceof java.io.InterruptedIOException
                    || c instanceof java.nio.channels.ClosedByInterruptException) {
                return true;
            }
        }
        return false;
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
        return runtime.sourcesRunning();
    }

    @Override
    public void emit(Object value) {
        emit(value, System.currentTimeMillis());
    }

    @Override
    public void emit(Object value, long timestamp) {
        if (runtime.isAborted()) {
            throw new PipelineAbortedException();
        }
        publisher.publishRecord(entry, null, value, timestamp, System.nanoTime());
    }

    @Override
    public void reportError(Object rawInput, Exception cause) {
        try {
            errorHandler.handle(new FailedRecord(node.name(), "source", reader, null, rawInput,
                    System.currentTimeMillis(), cause));
        } catch (RecordProcessingException failure) {
            // Fail now, not when the source rethrows: a source may catch and carry on.
            runtime.fail(failure, "source '" + node.name() + "' reader " + reader);
            throw new PipelineAbortedException();
        }
    }
}
