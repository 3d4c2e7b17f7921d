package io.ringflow;

import io.ringflow.error.FailedRecord;
import java.util.Optional;

/**
 * The pipeline stopped because of a failure. {@link #getCause()} is the original exception;
 * {@link #failedRecord()} is the record being processed when it happened, if the failure
 * came from a record (and not, say, from a source's own loop).
 */
public class PipelineFailedException extends RingflowException {

    private final transient FailedRecord failedRecord;

    public PipelineFailedException(String message, Throwable cause, FailedRecord failedRecord) {
        super(message, cause);
        this.failedRecord = failedRecord;
    }

    public Optional<FailedRecord> failedRecord() {
        return Optional.ofNullable(failedRecord);
    }
}
