package io.ringflow.internal.pipeline;

import io.ringflow.PipelineFailedException;
import io.ringflow.error.RecordProcessingException;
import io.ringflow.internal.PipelineAbortedException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a pipeline is in its life, shared by every one of its threads: stopping (drain what was
 * emitted), sources told to stop, aborted (halt without draining), and the first failure. The
 * flags live in one {@link AtomicInteger}, as the Disruptor keeps a processor's run state: the
 * hot path's checks are one volatile read, and a flag once set is never cleared.
 */
final class RunState {

    private static final Logger LOG = LoggerFactory.getLogger(RunState.class);

    private static final int STOPPING = 1;
    private static final int SOURCES_STOPPED = 1 << 1;
    private static final int ABORTED = 1 << 2;

    private final String pipeline;
    private final AtomicInteger flags = new AtomicInteger();
    /** Run once, by the first halt: stops consumers, unwinds publishers, interrupts sources. */
    private volatile Runnable onHalt = () -> { };
    private volatile PipelineFailedException failure;

    RunState(String pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * What a halt does to the pipeline's threads; set once they exist. A halt before that only
     * sets the flags, which every thread reads before it does anything.
     */
    void onHalt(Runnable halt) {
        this.onHalt = halt;
    }

    /** A graceful stop: sources end, what they emitted drains through every stage. */
    void stop() {
        set(STOPPING | SOURCES_STOPPED);
    }

    /**
     * Halts every thread without draining: consumers stop at their next batch, publishers blocked
     * on a full ring are unwound, source threads are interrupted.
     */
    void halt() {
        set(ABORTED | SOURCES_STOPPED);
        onHalt.run();
    }

    /** Records the first failure and halts the pipeline; later failures are only logged at debug. */
    void fail(Throwable cause, String where) {
        if (cause instanceof PipelineAbortedException) {
            return;
        }
        PipelineFailedException first;
        synchronized (this) {
            if (failure != null) {
                if (failure != cause && failure.getCause() != cause) {
                    LOG.debug("further failure after pipeline '{}' failed, in {}", pipeline, where, cause);
                }
                return;
            }
            first = toFailure(cause, where);
            failure = first;
        }
        LOG.error(first.getMessage(), first.getCause());
        halt();
    }

    private PipelineFailedException toFailure(Throwable cause, String where) {
        if (cause instanceof RecordProcessingException rpe) {
            return new PipelineFailedException("pipeline '" + pipeline + "' failed: " + rpe.record().describe(),
                    rpe.record().cause(), rpe.record());
        }
        return new PipelineFailedException("pipeline '" + pipeline + "' failed in " + where + ": " + cause, cause,
                null);
    }

    boolean isAborted() {
        return (flags.get() & ABORTED) != 0;
    }

    boolean isStopping() {
        return (flags.get() & STOPPING) != 0;
    }

    boolean sourcesRunning() {
        return (flags.get() & SOURCES_STOPPED) == 0;
    }

    /** The first failure, or {@code null}. */
    PipelineFailedException failure() {
        return failure;
    }

    private void set(int bits) {
        flags.getAndUpdate(current -> current | bits);
    }
}
