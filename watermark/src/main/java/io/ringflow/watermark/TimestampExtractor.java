package io.ringflow.watermark;

/**
 * Takes a record's event time from the record itself, like Flink's
 * {@code TimestampAssigner}. Called once per record on the source's thread; must be cheap
 * and must not allocate.
 */
@FunctionalInterface
public interface TimestampExtractor<T> {

    /**
     * @param value           the record
     * @param sourceTimestamp the time the source gave it (a Kafka record's timestamp, or
     *                        the wall clock when it was emitted), epoch milliseconds
     * @return the record's event time, epoch milliseconds
     */
    long extractTimestamp(T value, long sourceTimestamp);
}
