package io.ringflow;

import static io.ringflow.StreamBuilder.requireNonNull;

import io.ringflow.function.Aggregator;
import io.ringflow.function.FilterFunction;
import io.ringflow.function.FlatMapFunction;
import io.ringflow.function.Initializer;
import io.ringflow.function.KeySelector;
import io.ringflow.function.KeyedProcessFunction;
import io.ringflow.function.MapFunction;
import io.ringflow.function.PeekAction;
import io.ringflow.function.Reducer;
import io.ringflow.function.ValueJoiner;
import io.ringflow.internal.graph.KeyByNode;
import io.ringflow.internal.graph.Node;
import io.ringflow.internal.graph.OperatorNode;
import io.ringflow.internal.operator.AggregateOperator;
import io.ringflow.internal.operator.FilterOperator;
import io.ringflow.internal.operator.FlatMapOperator;
import io.ringflow.internal.operator.MapOperator;
import io.ringflow.internal.operator.OperatorFactory;
import io.ringflow.internal.operator.PeekOperator;
import io.ringflow.internal.operator.ProcessOperator;
import io.ringflow.internal.operator.ToStreamOperator;
import io.ringflow.windowing.EmitStrategy;
import io.ringflow.windowing.WindowSpec;
import java.time.Duration;

/**
 * A stream whose records carry a key of type {@code K}: every record of a key is on the
 * shard that owns the key, in the order its source produced it, so per-key operators need no
 * locks. {@code map}, {@code filter} and the others keep the key.
 *
 * <p>{@link #reduce}, {@link #aggregate} and {@link #count} keep one running result per key
 * in a state store of the shard and emit the new result on every update, like the update
 * stream of a Kafka Streams KTable. Their state is in RocksDB unless the pipeline or the
 * operator's {@link Materialized} asks for the heap; the store is named after the operator, so
 * name stateful operators ({@link Named}) to keep their state across topology changes.
 */
public final class KeyedStream<K, V> extends KeyedJoins<K, V> {

    KeyedStream(StreamBuilder builder, Node node) {
        super(builder, node);
    }

    /** Changes the value, keeps the key. Cost: one call. */
    public <R> KeyedStream<K, R> map(MapFunction<? super V, ? extends R> function) {
        return map(function, null);
    }

    public <R> KeyedStream<K, R> map(MapFunction<? super V, ? extends R> function, Named named) {
        requireNonNull(function, "map function");
        return keyed(operator("map", named, false, (c, next) -> new MapOperator(c, function, next)));
    }

    /** Keeps the records for which {@code predicate} returns true. Cost: one call. */
    public KeyedStream<K, V> filter(FilterFunction<? super V> predicate) {
        return filter(predicate, null);
    }

    public KeyedStream<K, V> filter(FilterFunction<? super V> predicate, Named named) {
        requireNonNull(predicate, "filter predicate");
        return keyed(operator("filter", named, false, (c, next) -> new FilterOperator(c, predicate, next)));
    }

    /** Zero or more values per record, each with the record's key. */
    public <R> KeyedStream<K, R> flatMap(FlatMapFunction<? super V, ? extends R> function) {
        return flatMap(function, null);
    }

    public <R> KeyedStream<K, R> flatMap(FlatMapFunction<? super V, ? extends R> function, Named named) {
        requireNonNull(function, "flatMap function");
        return keyed(operator("flatMap", named, false, (c, next) -> new FlatMapOperator(c, function, next)));
    }

    /** Runs {@code action} on each value and passes the record on unchanged. */
    public KeyedStream<K, V> peek(PeekAction<? super V> action) {
        return peek(action, null);
    }

    public KeyedStream<K, V> peek(PeekAction<? super V> action, Named named) {
        requireNonNull(action, "peek action");
        return keyed(operator("peek", named, false, (c, next) -> new PeekOperator(c, action, next)));
    }

    /**
     * Custom per-record logic that sees the key, the key's {@link io.ringflow.function.ValueState}
     * and its timers ({@link io.ringflow.function.TimerService}, fired into
     * {@link KeyedProcessFunction#onTimer}); outputs keep the key. Cost: one call, plus a state
     * access per state call and a buffered write per timer registered or deleted. The pipeline
     * gets a timer thread (a tick every {@value KeyedProcessFunction#PROCESSING_TIME_TICK_MILLIS}
     * ms, or faster if something else needs it) so processing-time timers fire without records.
     */
    public <R> KeyedStream<K, R> process(KeyedProcessFunction<? super K, ? super V, R> function) {
        return process(function, null);
    }

    public <R> KeyedStream<K, R> process(KeyedProcessFunction<? super K, ? super V, R> function, Named named) {
        return process(function, named, Materialized.defaults());
    }

    /** Like {@link #process(KeyedProcessFunction)}, with the state's serdes or backend chosen by {@code materialized}. */
    public <R, S> KeyedStream<K, R> process(KeyedProcessFunction<? super K, ? super V, R> function, Named named,
                                            Materialized<K, S> materialized) {
        requireNonNull(function, "process function");
        requireNonNull(materialized, "materialized");
        Node process = stateful("process", named, materialized,
                (c, next) -> ProcessOperator.keyed(c, function, materialized, next));
        // Its processing-time timers need the clock read even when no record comes: ticks.
        ((OperatorNode) process).processingTimeIntervalMillis(2 * KeyedProcessFunction.PROCESSING_TIME_TICK_MILLIS);
        return keyed(process);
    }

    /**
     * The side output {@code tag} of the keyed {@code process} that returned this stream: every
     * value its function emitted with {@code ctx.output(tag, value)}, with that record's key and
     * timestamp. Like the main output of a keyed process it keeps the key and stays on the shard
     * that owns it, so {@code count()} or {@code window(...)} on it need no new {@code keyBy}. It
     * is a stream like any other; taking a tag twice gives the same stream, and values for a tag
     * no stream is taken for go nowhere. Cost: none per record beyond the operators that read it.
     *
     * @throws TopologyException if this stream was not returned by {@code process}, or the
     *         operator's side output of that name was taken with another type
     */
    public <X> KeyedStream<K, X> sideOutput(OutputTag<X> tag) {
        return keyed(builder.sideOutput(node, tag));
    }

    /**
     * The late records of the window aggregation that returned this stream, whose
     * {@link WindowedStream} was given {@code tag} with {@code sideOutputLateData(tag)}: every
     * record that arrived after all its windows had closed, with its own key and timestamp (they
     * are still counted as late). A stream like any other; taking it twice gives the same stream.
     * Cost: nothing for records on time.
     *
     * @throws TopologyException if this stream is not such an aggregation's, or its late data
     *         went to another tag
     */
    public <K2, V2> KeyedStream<K2, V2> lateRecords(OutputTag<KeyValue<K2, V2>> tag) {
        return keyed(builder.lateRecords(node, tag));
    }

    /**
     * Running reduction per key: the first value of a key is its result, each later value is
     * combined into it; emits the new result on every record. Cost: one state read and one
     * state write per record.
     */
    public KeyedStream<K, V> reduce(Reducer<V> reducer) {
        return reduce(reducer, null);
    }

    public KeyedStream<K, V> reduce(Reducer<V> reducer, Named named) {
        return reduce(reducer, named, Materialized.defaults());
    }

    /** Like {@link #reduce(Reducer)}, with the store's serdes or backend chosen by {@code materialized}. */
    public KeyedStream<K, V> reduce(Reducer<V> reducer, Named named, Materialized<K, V> materialized) {
        requireNonNull(reducer, "reducer");
        requireNonNull(materialized, "materialized");
        return keyed(stateful("reduce", named, materialized,
                (c, next) -> AggregateOperator.reduce(c, reducer, materialized, next)));
    }

    /**
     * Running aggregate per key, of any type: {@code initializer} starts it for a new key,
     * {@code aggregator} folds each value in; emits the new aggregate on every record.
     * Cost: one state read and one state write per record.
     */
    public <A> KeyedStream<K, A> aggregate(Initializer<A> initializer, Aggregator<? super K, ? super V, A> aggregator) {
        return aggregate(initializer, aggregator, null);
    }

    public <A> KeyedStream<K, A> aggregate(Initializer<A> initializer, Aggregator<? super K, ? super V, A> aggregator,
                                           Named named) {
        return aggregate(initializer, aggregator, named, Materialized.defaults());
    }

    /** Like {@link #aggregate(Initializer, Aggregator)}, with the store chosen by {@code materialized}. */
    public <A> KeyedStream<K, A> aggregate(Initializer<A> initializer, Aggregator<? super K, ? super V, A> aggregator,
                                           Named named, Materialized<K, A> materialized) {
        requireNonNull(initializer, "initializer");
        requireNonNull(aggregator, "aggregator");
        requireNonNull(materialized, "materialized");
        return keyed(stateful("aggregate", named, materialized,
                (c, next) -> AggregateOperator.aggregate(c, initializer, aggregator, materialized, next)));
    }

    /** Running count of records per key; emits the new count on every record. */
    public KeyedStream<K, Long> count() {
        return count(null);
    }

    public KeyedStream<K, Long> count(Named named) {
        return count(named, Materialized.defaults());
    }

    /** Like {@link #count()}, with the store chosen by {@code materialized}. */
    public KeyedStream<K, Long> count(Named named, Materialized<K, Long> materialized) {
        requireNonNull(materialized, "materialized");
        return keyed(stateful("count", named, materialized, (c, next) -> AggregateOperator.count(c, materialized, next)));
    }

    /**
     * Re-keys the stream by a key taken from the value: records move to the shards that own
     * their new keys. Cost: as {@link EventStream#keyBy}.
     */
    public <K2> KeyedStream<K2, V> keyBy(KeySelector<? super V, ? extends K2> selector) {
        return keyBy(selector, null);
    }

    public <K2> KeyedStream<K2, V> keyBy(KeySelector<? super V, ? extends K2> selector, Named named) {
        requireNonNull(selector, "key selector");
        String name = builder.nameFor(named, "keyBy");
        return keyed(builder.add(id -> new KeyByNode(id, name, node, selector)));
    }

    /**
     * Cuts the stream into event-time windows: tumbling, hopping or session. Aggregate them
     * with {@code count}, {@code reduce} or {@code aggregate} on the returned stream.
     */
    public WindowedStream<K, V> window(WindowSpec windows) {
        requireNonNull(windows, "windows");
        return new WindowedStream<>(builder, node, windows, EmitStrategy.onWindowClose(),
                null, null, null);
    }

    /** The records as {@link KeyValue}s on an unkeyed stream, for operators that need the key in the value. */
    public EventStream<KeyValue<K, V>> toStream() {
        return toStream(null);
    }

    public EventStream<KeyValue<K, V>> toStream(Named named) {
        return new EventStream<>(builder, operator("toStream", named, false, ToStreamOperator::new));
    }

    /** Ends the stream in {@code sink}, which receives each record as a {@link KeyValue}. */
    public void to(Sink<? super KeyValue<K, V>> sink) {
        to(sink, null);
    }

    public void to(Sink<? super KeyValue<K, V>> sink, Named named) {
        requireNonNull(sink, "sink");
        toStream().to(sink, named);
    }

    private Node stateful(String kind, Named named, Materialized<?, ?> materialized, OperatorFactory factory) {
        OperatorNode added = (OperatorNode) builder.addOperator(node, kind, named, true, factory);
        added.heapState(materialized.isInMemory());
        return added;
    }

    private Node operator(String kind, Named named, boolean stateful, OperatorFactory factory) {
        return builder.addOperator(node, kind, named, stateful, factory);
    }

    @Override
    <K2, V2> KeyedStream<K2, V2> keyed(Node next) {
        return new KeyedStream<>(builder, next);
    }
}
