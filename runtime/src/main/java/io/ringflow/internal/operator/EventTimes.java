package io.ringflow.internal.operator;

import io.ringflow.error.ErrorHandler;
import io.ringflow.error.FailedRecord;
import io.ringflow.error.RecordProcessingException;
import io.ringflow.internal.metrics.PipelineMetrics;
import io.ringflow.watermark.WatermarkStrategy;

/**
 * Gives a source's records their event time through its {@link WatermarkStrategy}: the
 * timestamp extractor is user code, so a record it throws on goes to the error handler like a
 * record any other user function fails on, and a record the strategy's drift guard refuses
 * goes there too; neither moves the watermark. An {@link Error} fails the pipeline naming the
 * source and the record. One per source reader (or per source in the test driver); not
 * thread-safe. Allocation-free unless a record is refused.
 */
public final class EventTimes {

    private final WatermarkStrategy<Object> strategy;
    private final String source;
    private final int reader;
    private final ErrorHandler errorHandler;
    private final PipelineMetrics metrics;
    private final boolean guarded;
    private long eventTime;

    public EventTimes(WatermarkStrategy<Object> strategy, String source, int reader, ErrorHandler errorHandler,
                      PipelineMetrics metrics) {
        this.strategy = strategy;
        this.source = source;
        this.reader = reader;
        this.errorHandler = errorHandler;
        this.metrics = metrics;
        this.guarded = strategy.maxDriftAheadMillis() != Long.MAX_VALUE;
    }

    /** Whether the strategy's drift guard needs the wall clock for each record. */
    public boolean guarded() {
        return guarded;
    }

    /**
     * Assigns {@code value}'s event time, readable from {@link #eventTime()}, or hands the record
     * to the error handler and returns {@code false}: then it must not be processed.
     *
     * @param nowMillis processing time, read only when {@link #guarded()}
     * @throws RecordProcessingException if the handler fails the pipeline, or the extractor
     *         threw an {@link Error}
     */
    public boolean assign(Object value, long sourceTimestamp, long nowMillis) {
        long time;
        try {
            time = strategy.timestampOf(value, sourceTimestamp);
        } catch (RuntimeException e) {
            refuse(value, sourceTimestamp, e);
            return false;
        } catch (Error e) {
            metrics.errors(source, "failed").increment();
            throw new RecordProcessingException(failed(value, sourceTimestamp, e));
        }
        if (guarded) {
            String refusal = strategy.refusal(time, nowMillis);
            if (refusal != null) {
                refuse(value, time, new IllegalArgumentException("source '" + source + "': " + refusal));
                return false;
            }
        }
        eventTime = time;
        return true;
    }

    public long eventTime() {
        return eventTime;
    }

    private void refuse(Object value, long timestamp, Exception cause) {
        OperatorContext.handleFailure(errorHandler, metrics, failed(value, timestamp, cause));
    }

    private FailedRecord failed(Object value, long timestamp, Throwable cause) {
        return new FailedRecord(source, FailedRecord.TIMESTAMP_EXTRACTOR, reader, null, value, timestamp, cause);
    }
}
