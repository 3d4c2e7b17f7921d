package io.ringflow.function;

/**
 * Custom per-record logic on a keyed stream: like {@link ProcessFunction}, and the context
 * also gives the record's key. Outputs keep the current key. Shared by every shard.
 */
@FunctionalInterface
public interface KeyedProcessFunction<K, T, R> {

    void process(T value, Context<K> context, Collector<R> out) throws Exception;

    /** What the runtime knows about the record being processed. */
    interface Context<K> extends ProcessFunction.Context {
        /** Key of the current record, as returned by the {@code keyBy} selector. */
        K key();
    }
}
