package io.ringflow.error;

import io.ringflow.RingflowException;

/**
 * Thrown by an {@link ErrorHandler} to fail the pipeline because of one record. The runtime
 * turns it into a {@link io.ringflow.PipelineFailedException} whose cause is the original
 * exception.
 */
public class RecordProcessingException extends RingflowException {

    private final transient FailedRecord record;

    public RecordProcessingException(FailedRecord record) {
        super(record.describe(), record.cause());
        this.record = record;
    }

    public FailedRecord record() {
        return record;
    }
}
