package io.ringflow.error;

import io.ringflow.Sink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what happens to a record whose processing threw, in a user function, a key
 * selector, a sink, or a source's deserializer. Returning normally skips the record and
 * processing goes on; throwing (see {@link #failPipeline()}) stops the pipeline.
 *
 * <p>Called on the thread that processed the record; with parallelism &gt; 1, from several
 * threads at once, so implementations must be thread-safe. It runs only when something
 * failed, so it costs nothing on the normal path.
 */
@FunctionalInterface
public interface ErrorHandler {

    void handle(FailedRecord record);

    /**
     * Stops the pipeline at the first failure; {@code awaitTermination} then throws a
     * {@link io.ringflow.PipelineFailedException} whose cause is the original exception and
     * which carries the record. Records in flight are not drained. The default.
     */
    static ErrorHandler failPipeline() {
        return record -> {
            throw new RecordProcessingException(record);
        };
    }

    /** Logs the failure and the record at WARN and goes on with the next record. */
    static ErrorHandler logAndContinue() {
        Logger log = LoggerFactory.getLogger(ErrorHandler.class);
        return record -> log.warn("skipping record: {}", record.describe(), record.cause());
    }

    /**
     * Writes the failed record to {@code deadLetters} and goes on. If the dead-letter sink
     * itself throws, the pipeline fails: a record is never dropped silently.
     */
    static ErrorHandler deadLetter(Sink<FailedRecord> deadLetters) {
        if (deadLetters == null) {
            throw new IllegalArgumentException("deadLetter(...) needs a sink to write failed records to");
        }
        return record -> {
            try {
                deadLetters.write(record, record.timestamp());
            } catch (Exception e) {
                RecordProcessingException failure = new RecordProcessingException(record);
                failure.addSuppressed(e);
                throw failure;
            }
        };
    }
}
