package io.ringflow.function;

/**
 * Custom per-record logic with access to the record's timestamp: emits any number of
 * outputs through the {@link Collector}. Like Flink's {@code ProcessFunction}; one instance
 * is shared by every shard, so it must not keep mutable fields.
 */
@FunctionalInterface
public interface ProcessFunction<T, R> {

    void process(T value, Context context, Collector<R> out) throws Exception;

    /** What the runtime knows about the record being processed. */
    interface Context {
        /** Event timestamp of the current record, epoch milliseconds. */
        long timestamp();

        /** Index of the shard running this call, {@code 0 <= shard < parallelism}. */
        int shard();

        /**
         * The shard's current watermark: the minimum over everything feeding it, or
         * {@code Long.MIN_VALUE} before every input has one (or without event time).
         */
        long watermark();
    }
}
