package io.ringflow.function;

/**
 * Custom per-record logic on a keyed stream: like {@link ProcessFunction}, and the context
 * also gives the record's key, that key's {@link ValueState} and its {@link TimerService}.
 * Outputs keep the current key. One instance is shared by every shard: keep per-key data in the
 * state, not in fields.
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
 *
 * <p>Named state: declare a {@link ValueStateSpec}, {@link MapStateSpec} or {@link ListStateSpec}
 * once (a constant) and get the current key's state from the context
 * ({@code ctx.mapState(POSITIONS).put(account, quantity)}), in {@link #process} and in
 * {@link #onTimer}; give a spec a {@link Ttl} to have entries expire and their storage reclaimed.
 *
 * <p>Timers: register them from the context ({@code ctx.timers().registerEventTimeTimer(ts)})
 * and implement {@link #onTimer}, which runs for the timer's key when it fires; as Flink's
 * {@code KeyedProcessFunction}. A lambda implements {@link #process} alone and has no timers.
 */
@FunctionalInterface
public interface KeyedProcessFunction<K, T, R> {

    /**
     * The period of the pipeline's timer thread when a topology has a keyed {@code process}: how
     * late, at most, a processing-time timer fires on a shard that receives no records. 20 ms:
     * fine enough for alarms and timeouts, and a wake-up a shard barely notices.
     */
    long PROCESSING_TIME_TICK_MILLIS = 20;

    void process(T value, Context<K> context, Collector<R> out) throws Exception;

    /**
     * A timer of this operator fired, for key {@code context.key()}: {@code timestamp} is the
     * timer's, which is also {@code context.timestamp()} and the timestamp of what
     * {@code out.collect(value)} emits. The context gives the key's state to read and write and
     * its timers, to register again. Timers of one shard fire in timestamp order (within each
     * state partition), ties in the order of the keys' serialized bytes; a timer registered in
     * {@code onTimer} at or before the watermark that is firing fires in the same advance.
     * What it throws goes to the error handler, as a failed record would, with the value
     * {@code "onTimer(EVENT_TIME)"} or {@code "onTimer(PROCESSING_TIME)"}; the timer is gone
     * either way. Default: nothing.
     */
    default void onTimer(long timestamp, OnTimerContext<K> context, Collector<R> out) throws Exception {
    }

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

        /**
         * The current key's timers, and the clocks they follow. Timers need the key's serde, as
         * the state does: declare one with {@code Materialized.with} for key types other than
         * String, Long, Integer, Double and byte[].
         */
        TimerService timers();

        /**
         * The current key's value in the named state {@code spec} declares, in a store of its own.
         * Cost: a store read per {@code value()}, a write per {@code update} (with a TTL, one more
         * read, to move the entry's cleanup timer), usually served by the write-back cache.
         * Default: unsupported (the runtime's contexts implement it; the default keeps other
         * implementations compiling).
         */
        default <S> ValueState<S> valueState(ValueStateSpec<S> spec) {
            throw new UnsupportedOperationException(getClass().getName() + " has no named state");
        }

        /** The current key's map in the named state {@code spec} declares; costs in {@link MapState}. */
        default <UK, UV> MapState<UK, UV> mapState(MapStateSpec<UK, UV> spec) {
            throw new UnsupportedOperationException(getClass().getName() + " has no named state");
        }

        /** The current key's list in the named state {@code spec} declares; costs in {@link ListState}. */
        default <T> ListState<T> listState(ListStateSpec<T> spec) {
            throw new UnsupportedOperationException(getClass().getName() + " has no named state");
        }
    }

    /** The context of {@link #onTimer}: the timer's key, its state and timers, and which clock fired it. */
    interface OnTimerContext<K> extends Context<K> {
        /** Whether an event-time or a processing-time timer fired. */
        TimeDomain timeDomain();
    }
}
