package io.ringflow.internal;

import io.ringflow.RingflowException;

/**
 * Unwinds a thread that is publishing into a pipeline that has already failed: it is not a
 * failure of its own, so nothing reports it. The original failure is reported once, by the
 * thread that saw it.
 */
public final class PipelineAbortedException extends RingflowException {

    public PipelineAbortedException() {
        super("the pipeline has failed; see the PipelineFailedException for the cause");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
