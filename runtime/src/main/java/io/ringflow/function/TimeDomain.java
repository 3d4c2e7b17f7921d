package io.ringflow.function;

/** Which clock a timer follows, as Flink's {@code TimeDomain}. */
public enum TimeDomain {
    /** Event time: the timer fires when the watermark reaches its timestamp. */
    EVENT_TIME,
    /** Processing time: the timer fires when the shard's wall clock reaches its timestamp. */
    PROCESSING_TIME
}
