package io.ringflow.function;

/**
 * Custom per-record logic on a keyed stream: like {@link ProcessFunction}, and the context
 * also gives the record's key and that key's {@link ValueState}. Outputs keep the current
 * key. One instance is shared by every shard: keep per-key data in the state, not in fields.
 *
 * <pre>{@code
 * // emits a price only when it differs from the last one seen for the symbol
 * (price, ctx, out) -> {
 *     ValueState<Double> last = ctx.state();
 *     if (!price.equals(last.value())) {
 *         last.update(price);
 *         out.collect(price);
 *     }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface KeyedProcessFunction<K, T, R> {

    void process(T value, Context<K> context, Collector<R> out) throws Exception;

    /** What the runtime knows about the record being processed. */
    interface Context<K> extends ProcessFunction.Context {
        /** Key of the current record, as returned by the {@code keyBy} selector. */
        K key();

        /**
         * The current key's state in this operator's store. The type is the caller's to choose
         * and must stay the same for the operator; types other than String, Long, Integer,
         * Double and byte[] need a serde, given with
         * {@code process(function, named, Materialized.with(keySerde, stateSerde))}.
         */
        <S> ValueState<S> state();
    }
}
