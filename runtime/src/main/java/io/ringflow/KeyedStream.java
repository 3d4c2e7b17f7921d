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
public final class KeyedStream<K, V> {

    private final StreamBuilder builder;
    private final Node node;

    KeyedStream(StreamBuilder builder, Node node) {
        this.builder = builder;
        this.node = node;
    }

    Node node() {
        return node;
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
     * This stream and {@code other}, connected by their key for one operator that sees both
     * ({@link ConnectedStreams#process}), as Flink's {@code connect} of two keyed streams. Both
     * must be keyed by equal key values: a record of either goes to the shard that owns its key.
     *
     * @throws TopologyException if {@code other} is this stream, or was built by another builder
     */
    public <B> ConnectedStreams<K, V, B> connect(KeyedStream<K, B> other) {
        requireNonNull(other, "stream to connect");
        if (other.builder != builder) {
            throw new TopologyException("connect: the stream from " + other.node
                    + " belongs to another StreamBuilder; build both streams with the same builder");
        }
        return new ConnectedStreams<>(builder, node, other.node);
    }

    /**
     * This stream seen as a table: its latest value per key, a {@code null} value deleting the
     * key. Adds no operator: a join that reads the table stores it ({@link Table}). Cost: none
     * until joined.
     */
    public Table<K, V> toTable() {
        return toTable(Materialized.defaults());
    }

    /** Like {@link #toTable()}, with the serdes or backend of the joins' stores chosen by {@code materialized}. */
    public Table<K, V> toTable(Materialized<K, V> materialized) {
        requireNonNull(materialized, "materialized");
        return new Table<>(builder, node, null, materialized);
    }

    /**
     * Joins each record with {@code table}'s current value for its key, as Kafka Streams'
     * KStream-KTable join: the join operator stores the table (its changelog is a second input
     * to the shard of each key); table updates emit nothing; a record whose key has no value is
     * dropped. The result keeps the record's key and timestamp.
     *
     * <p>It is not time-synchronized: a record meets the value the table holds when the record
     * arrives, whatever either's event time, so which update a record sees depends on arrival
     * order. For the value as of the record's event time, join a versioned table with
     * {@code asOfJoin}. Cost per record: one state read (per table update: one write).
     *
     * <pre>{@code
     * trades.join(prices, (trade, price) -> trade.quantity() * price).to(notional);
     * }</pre>
     */
    public <T, R> KeyedStream<K, R> join(Table<K, T> table, ValueJoiner<? super V, ? super T, ? extends R> joiner) {
        return join(table, joiner, null);
    }

    /** Like {@link #join(Table, ValueJoiner)}, with the join, and so its store, named by {@code named}. */
    public <T, R> KeyedStream<K, R> join(Table<K, T> table, ValueJoiner<? super V, ? super T, ? extends R> joiner,
                                         Named named) {
        return keyed(Joins.streamTable(builder, node, table, joiner, false, named));
    }

    /**
     * Like {@link #join(Table, ValueJoiner)}, but a record whose key has no value in the table is
     * joined with {@code null} instead of dropped: one result per record.
     */
    public <T, R> KeyedStream<K, R> leftJoin(Table<K, T> table, ValueJoiner<? super V, ? super T, ? extends R> joiner) {
        return leftJoin(table, joiner, null);
    }

    /** Like {@link #leftJoin(Table, ValueJoiner)}, with the join named by {@code named}. */
    public <T, R> KeyedStream<K, R> leftJoin(Table<K, T> table, ValueJoiner<? super V, ? super T, ? extends R> joiner,
                                             Named named) {
        return keyed(Joins.streamTable(builder, node, table, joiner, true, named));
    }

    /**
     * Joins each record with the global table's value for the key {@code keyOf} takes from it,
     * keeping this stream's key; as {@link EventStream#join(GlobalTable, KeySelector, ValueJoiner)}.
     */
    public <GK, T, R> KeyedStream<K, R> join(GlobalTable<GK, T> table, KeySelector<? super V, ? extends GK> keyOf,
                                             ValueJoiner<? super V, ? super T, ? extends R> joiner, Named named) {
        return keyed(Joins.streamGlobal(builder, node, table, keyOf, joiner, false, named));
    }

    /** As {@link #join(GlobalTable, KeySelector, ValueJoiner, Named)}, a missing value joined as {@code null}. */
    public <GK, T, R> KeyedStream<K, R> leftJoin(GlobalTable<GK, T> table, KeySelector<? super V, ? extends GK> keyOf,
                                                 ValueJoiner<? super V, ? super T, ? extends R> joiner, Named named) {
        return keyed(Joins.streamGlobal(builder, node, table, keyOf, joiner, true, named));
    }

    /**
     * This stream (left) and {@code other} (right), to be joined by key and event time: say how
     * far apart with {@link IntervalJoin#between}, then the join type ({@link IntervalJoined}), as
     * Flink's {@code intervalJoin}. Both must be keyed by equal key values.
     *
     * <pre>{@code
     * orders.intervalJoin(payments).between(Duration.ZERO, Duration.ofMinutes(10)).leftJoin(Paid::new)
     * }</pre>
     *
     * @throws TopologyException if {@code other} is this stream, or was built by another builder
     */
    public <B> IntervalJoin<K, V, B> intervalJoin(KeyedStream<K, B> other) {
        requireNonNull(other, "stream to join");
        if (other.builder != builder) {
            throw new TopologyException("intervalJoin: the stream from " + other.node
                    + " belongs to another StreamBuilder; build both streams with the same builder");
        }
        if (other.node == node) {
            throw new TopologyException("intervalJoin: a stream cannot be joined with itself; join it with a copy"
                    + " of itself taken by a map(...) of its own");
        }
        return new IntervalJoin<>(builder, node, other.node);
    }

    /**
     * This stream as a versioned table ({@link VersionedTable}): each record a version of its key
     * from its timestamp, a {@code null} value a tombstone, kept for {@code history} behind the
     * watermark. Costs nothing until a join reads it.
     */
    public VersionedTable<K, V> toVersionedTable(Duration history) {
        return toVersionedTable(history, Materialized.defaults());
    }

    /**
     * Like {@link #toVersionedTable(Duration)}, with the versions' serdes or backend chosen by
     * {@code materialized}.
     */
    public VersionedTable<K, V> toVersionedTable(Duration history, Materialized<K, V> materialized) {
        return new VersionedTable<>(builder, node, history, materialized);
    }

    /**
     * Joins each record with the version of {@code table} valid at the record's event time (the
     * greatest version time at or before it), not the latest one: a trade at 10:00:00.120 gets
     * the quote of 10:00:00.100 even when the one of .130 arrived first. A record waits in state
     * until the watermark of both inputs passes its timestamp, then leaves with its own timestamp,
     * so results do not depend on arrival order; a record with no valid version gives nothing.
     * Late records and versions are counted in {@code ringflow.records.late}; see the README.
     * Cost per record: a state write and read while it waits, and one versioned read.
     */
    public <T, R> KeyedStream<K, R> asOfJoin(VersionedTable<K, T> table,
                                             ValueJoiner<? super V, ? super T, ? extends R> joiner) {
        return asOfJoin(table, joiner, null);
    }

    public <T, R> KeyedStream<K, R> asOfJoin(VersionedTable<K, T> table,
                                             ValueJoiner<? super V, ? super T, ? extends R> joiner, Named named) {
        return asOfJoin(table, joiner, named, Materialized.defaults());
    }

    /**
     * Like {@link #asOfJoin(VersionedTable, ValueJoiner)}, with the waiting records' serdes or
     * backend chosen by {@code materialized}.
     */
    public <T, R> KeyedStream<K, R> asOfJoin(VersionedTable<K, T> table,
                                             ValueJoiner<? super V, ? super T, ? extends R> joiner, Named named,
                                             Materialized<K, V> materialized) {
        return AsOfJoins.join(builder, this, table, joiner, false, named, materialized);
    }

    /**
     * Like {@link #asOfJoin(VersionedTable, ValueJoiner)}, but a record with no version valid at
     * its time (none yet, or a tombstone) is joined with {@code null}.
     */
    public <T, R> KeyedStream<K, R> leftAsOfJoin(VersionedTable<K, T> table,
                                                 ValueJoiner<? super V, ? super T, ? extends R> joiner) {
        return leftAsOfJoin(table, joiner, null);
    }

    public <T, R> KeyedStream<K, R> leftAsOfJoin(VersionedTable<K, T> table,
                                                 ValueJoiner<? super V, ? super T, ? extends R> joiner, Named named) {
        return leftAsOfJoin(table, joiner, named, Materialized.defaults());
    }

    public <T, R> KeyedStream<K, R> leftAsOfJoin(VersionedTable<K, T> table,
                                                 ValueJoiner<? super V, ? super T, ? extends R> joiner, Named named,
                                                 Materialized<K, V> materialized) {
        return AsOfJoins.join(builder, this, table, joiner, true, named, materialized);
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

    private <K2, V2> KeyedStream<K2, V2> keyed(Node next) {
        return new KeyedStream<>(builder, next);
    }
}
