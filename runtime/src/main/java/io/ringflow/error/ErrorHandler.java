package io.ringflow.error;

import io.ringflow.Sink;
import java.time.Duration;
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
     * What this handler does with a record when it returns, for the {@code outcome} tag of the
     * {@code ringflow.errors} metric ({@code logged}, {@code dead-lettered}); a handler that
     * throws is counted as {@code failed}. Default: {@code handled}.
     */
    default String outcome() {
        return "handled";
    }

    /**
     * Stops the pipeline at the first failure; {@code awaitTermination} then throws a
     * {@link io.ringflow.PipelineFailedException} whose cause is the original exception and
     * which carries the record. Records in flight are not drained. The default.
     */
    static ErrorHandler failPipeline() {
        return new ErrorHandler() {
            @Override
            public void handle(FailedRecord record) {
                throw new RecordProcessingException(record);
            }

            @Override
            public String outcome() {
                return "failed";
            }
        };
    }

    /**
     * Logs the failure and the record at WARN and goes on with the next record, rate-limited
     * so a stream of bad records cannot flood the log: the first 10 failures are logged with
     * their stack traces, later ones at most one line per 10 seconds, without a stack trace,
     * saying how many failed records were skipped without a line since the last. Every failed
     * record is counted in the {@code ringflow.errors} meter (outcome {@code logged}), logged or
     * not. Same as {@code logAndContinue(10, Duration.ofSeconds(10))}.
     */
    static ErrorHandler logAndContinue() {
        return logAndContinue(10, Duration.ofSeconds(10));
    }

    /**
     * Like {@link #logAndContinue()}, with the first {@code withStackTraces} failures logged in
     * full and then at most one line per {@code interval}. Cost: a lock taken per failed record;
     * nothing on the normal path.
     *
     * @param withStackTraces failures logged with stack traces before rate limiting starts, at least 0
     * @param interval        least time between two later lines, more than 0
     */
    static ErrorHandler logAndContinue(int withStackTraces, Duration interval) {
        if (withStackTraces < 0) {
            throw new IllegalArgumentException("logAndContinue needs withStackTraces >= 0, got " + withStackTraces);
        }
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("logAndContinue needs an interval above zero, got " + interval);
        }
        Logger log = LoggerFactory.getLogger(ErrorHandler.class);
        long nanos = interval.toNanos();
        return new LoggingErrorHandler(withStackTraces, nanos, LoggingErrorHandler.format(nanos), System::nanoTime,
                (message, stackTrace) -> {
                    if (stackTrace == null) {
                        log.warn(message);
                    } else {
                        log.warn(message, stackTrace);
                    }
                });
    }

    /**
     * Writes the failed record to {@code deadLetters} and goes on. If the dead-letter sink
     * itself throws, the pipeline fails: a record is never dropped silently.
     */
    static ErrorHandler deadLetter(Sink<FailedRecord> deadLetters) {
        if (deadLetters == null) {
            throw new IllegalArgumentException("deadLetter(...) needs a sink to write failed records to");
        }
        return new ErrorHandler() {
            @Override
            public void handle(FailedRecord record) {
                try {
                    deadLetters.write(record, record.timestamp());
                } catch (Exception e) {
                    RecordProcessingException failure = new RecordProcessingException(record);
                    failure.addSuppressed(e);
                    throw failure;
                }
            }

            @Override
            public String outcome() {
                return "dead-lettered";
            }
        };
    }
}
