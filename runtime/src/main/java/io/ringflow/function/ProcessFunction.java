package io.ringflow.function;

import io.ringflow.OutputTag;

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

        /**
         * Emits {@code value} to side output {@code tag}, with the current record's timestamp
         * (and, on a keyed stream, its key, as the main output keeps it). The topology reads it
         * with {@code sideOutput(tag)} on the stream {@code process} returned; a value for a tag
         * no stream was taken for goes nowhere, so a function may emit to tags some topologies
         * ignore. Like {@link Collector#collect}, it runs the side output's operators of the same
         * stage before it returns, and counts in the operator's {@code ringflow.records.out} as
         * the main output does. Cost: a scan of the operator's few tags and a type check; no
         * allocation.
         *
         * @throws IllegalArgumentException if {@code value} is not of the tag's type, or the
         *         topology took this tag's name with another type; the record then goes to the
         *         error handler, as any failure of the function does
         */
        <X> void output(OutputTag<X> tag, X value);
    }
}
