package io.ringflow.function;

/**
 * Custom logic over two keyed streams connected by their key
 * ({@code first.connect(second).process(function)}), as Flink's {@code KeyedCoProcessFunction}:
 * records of both inputs with the same key run on the shard that owns the key, in the order each
 * input had them, and share that key's state and timers. The building block of a join written by
 * hand: keep one side in state, look it up from the other.
 *
 * <p>The two inputs interleave as their records arrive, so which side's record of one key comes
 * first is not fixed; event time is: the shard's watermark is the minimum of both inputs', and an
 * event-time timer fires only once both inputs have passed it. One instance is shared by every
 * shard: keep per-key data in state, not in fields.
 *
 * @param <K> the key type of both inputs; their keys must be equal objects for their records to meet
 * @param <A> the first input's values
 * @param <B> the second input's values
 * @param <R> what it emits, keeping the key
 */
public interface KeyedCoProcessFunction<K, A, B, R> {

    /** A record of the first input, with the context of its key. */
    void processElement1(A value, KeyedProcessFunction.Context<K> context, Collector<R> out) throws Exception;

    /** A record of the second input, with the context of its key. */
    void processElement2(B value, KeyedProcessFunction.Context<K> context, Collector<R> out) throws Exception;

    /**
     * A timer registered from either input fired, for key {@code context.key()}; as
     * {@link KeyedProcessFunction#onTimer}. Default: nothing.
     */
    default void onTimer(long timestamp, KeyedProcessFunction.OnTimerContext<K> context, Collector<R> out)
            throws Exception {
    }
}
