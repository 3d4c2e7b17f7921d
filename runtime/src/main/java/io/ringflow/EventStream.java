package io.ringflow;

import static io.ringflow.StreamBuilder.requireNonNull;

import io.ringflow.function.FilterFunction;
import io.ringflow.function.FlatMapFunction;
import io.ringflow.function.KeySelector;
import io.ringflow.function.MapFunction;
import io.ringflow.function.PeekAction;
import io.ringflow.function.ProcessFunction;
import io.ringflow.function.ValueJoiner;
import io.ringflow.internal.graph.KeyByNode;
import io.ringflow.internal.graph.MergeNode;
import io.ringflow.internal.graph.Node;
import io.ringflow.internal.graph.SinkNode;
import io.ringflow.internal.graph.SourceNode;
import io.ringflow.internal.operator.FilterOperator;
import io.ringflow.internal.operator.FlatMapOperator;
import io.ringflow.internal.operator.MapOperator;
import io.ringflow.internal.operator.OperatorFactory;
import io.ringflow.internal.operator.PeekOperator;
import io.ringflow.internal.operator.ProcessOperator;
import io.ringflow.watermark.WatermarkStrategy;
import java.util.ArrayList;
import java.util.List;

/**
 * An unkeyed stream of records of type {@code T}. Operators chained on it run fused in one
 * stage, each record passed from one to the next by a method call: no queue, no copy.
 * {@link #keyBy} ends the stage and routes records to the shard that owns their key.
 *
 * <p>Every operator returns a new stream and leaves this one unchanged; using a stream twice
 * gives both consumers every record. {@link #withWatermarks} alone is no operator: it sets how
 * the source makes event time, which every stream of that source shares, so it changes the
 * source and returns this same stream. Names are optional ({@link Named}).
 */
public final class EventStream<T> {

    private final StreamBuilder builder;
    private final Node node;

    EventStream(StreamBuilder builder, Node node) {
        this.builder = builder;
        this.node = node;
    }

    StreamBuilder builder() {
        return builder;
    }

    Node node() {
        return node;
    }

    /**
     * Gives this source's records event time and watermarks (see {@link WatermarkStrategy}).
     * Only a source's own stream takes it: call it right after {@code builder.source(...)}, or
     * use {@code builder.source(name, source, watermarks)}. Unlike the operators it returns this
     * stream, not a new one: watermarks are made where records enter, by the source's readers,
     * so a source has one strategy for all its streams, set once; a second call fails. Cost: the
     * extractor and a compare per record, on the source's thread.
     */
    public EventStream<T> withWatermarks(WatermarkStrategy<? super T> watermarks) {
        requireNonNull(watermarks, "watermark strategy");
        if (!(node instanceof SourceNode source)) {
            throw new TopologyException("withWatermarks(...) on " + node + ": watermarks are made where records"
                    + " enter; call it on the stream builder.source(...) returns, before any operator");
        }
        if (source.watermarks() != null) {
            throw new TopologyException("source '" + source.name() + "' already has a watermark strategy;"
                    + " give it one, once");
        }
        source.watermarks(watermarks);
        return this;
    }

    /** One output per record. Cost: one call. */
    public <R> EventStream<R> map(MapFunction<? super T, ? extends R> function) {
        return map(function, null);
    }

    /** Like {@link #map(MapFunction)}, with the operator named by {@code named}. */
    public <R> EventStream<R> map(MapFunction<? super T, ? extends R> function, Named named) {
        requireNonNull(function, "map function");
        return new EventStream<>(builder, operator("map", named, (c, next) -> new MapOperator(c, function, next)));
    }

    /** Keeps the records for which {@code predicate} returns true. Cost: one call. */
    public EventStream<T> filter(FilterFunction<? super T> predicate) {
        return filter(predicate, null);
    }

    /** Like {@link #filter(FilterFunction)}, with the operator named by {@code named}. */
    public EventStream<T> filter(FilterFunction<? super T> predicate, Named named) {
        requireNonNull(predicate, "filter predicate");
        return new EventStream<>(builder, operator("filter", named, (c, next) -> new FilterOperator(c, predicate, next)));
    }

    /**
     * Zero or more outputs per record, in the order the iterable gives them. Cost: the
     * iterable and its iterator, allocated by the function per record.
     */
    public <R> EventStream<R> flatMap(FlatMapFunction<? super T, ? extends R> function) {
        return flatMap(function, null);
    }

    /** Like {@link #flatMap(FlatMapFunction)}, with the operator named by {@code named}. */
    public <R> EventStream<R> flatMap(FlatMapFunction<? super T, ? extends R> function, Named named) {
        requireNonNull(function, "flatMap function");
        return new EventStream<>(builder, operator("flatMap", named, (c, next) -> new FlatMapOperator(c, function, next)));
    }

    /** Runs {@code action} on each record (logging, counting) and passes it on unchanged. */
    public EventStream<T> peek(PeekAction<? super T> action) {
        return peek(action, null);
    }

    /** Like {@link #peek(PeekAction)}, with the operator named by {@code named}. */
    public EventStream<T> peek(PeekAction<? super T> action, Named named) {
        requireNonNull(action, "peek action");
        return new EventStream<>(builder, operator("peek", named, (c, next) -> new PeekOperator(c, action, next)));
    }

    /**
     * Custom per-record logic: the function sees each record with its timestamp and emits
     * any number of outputs. Cost: one call; no allocation by the runtime.
     */
    public <R> EventStream<R> process(ProcessFunction<? super T, R> function) {
        return process(function, null);
    }

    /** Like {@link #process(ProcessFunction)}, with the operator named by {@code named}. */
    public <R> EventStream<R> process(ProcessFunction<? super T, R> function, Named named) {
        requireNonNull(function, "process function");
        return new EventStream<>(builder, operator("process", named,
                (c, next) -> ProcessOperator.unkeyed(c, function, next)));
    }

    /**
     * The side output {@code tag} of the {@code process} that returned this stream: every value
     * its function emitted with {@code ctx.output(tag, value)}, with that record's timestamp. It
     * is a stream like any other: map it, key it, merge it, end it in a sink. Taking a tag twice
     * gives the same stream. Values for a tag no stream is taken for go nowhere. Cost: none per
     * record beyond the operators that read it; it runs fused in the stage of the process.
     *
     * <pre>{@code
     * EventStream<Order> valid = orders.process(validate);
     * valid.sideOutput(REJECTED).to(deadLetters);
     * }</pre>
     *
     * @throws TopologyException if this stream was not returned by {@code process}, or the
     *         operator's side output of that name was taken with another type
     */
    public <X> EventStream<X> sideOutput(OutputTag<X> tag) {
        return new EventStream<>(builder, builder.sideOutput(node, tag));
    }

    /**
     * One stream of the records of this stream and of {@code others}. Records of each input
     * keep their order; records of different inputs interleave as they arrive. Free when the
     * inputs run in the same stage; otherwise the merge starts a stage of its own.
     */
    @SafeVarargs
    public final EventStream<T> merge(EventStream<? extends T>... others) {
        return merge(null, others);
    }

    /** Like {@link #merge(EventStream[])}, with the merge named by {@code named}. */
    @SafeVarargs
    public final EventStream<T> merge(Named named, EventStream<? extends T>... others) {
        if (others == null || others.length == 0) {
            throw new IllegalArgumentException("merge needs at least one other stream");
        }
        List<Node> parents = new ArrayList<>();
        parents.add(node);
        for (EventStream<? extends T> other : others) {
            requireNonNull(other, "stream to merge");
            if (!builder.owns(other)) {
                throw new TopologyException("merge: the stream from " + other.node()
                        + " belongs to another StreamBuilder; build both streams with the same builder");
            }
            parents.add(other.node());
        }
        String name = builder.nameFor(named, "merge");
        return new EventStream<>(builder, builder.add(id -> new MergeNode(id, name, parents)));
    }

    /**
     * Keys the stream: records go to the shard of the next stage that owns their key, so
     * every later keyed operator sees all records of a key, in the order this stream had
     * them. Cost: the key selector, a hash, and one ring-buffer hand-off to another thread.
     */
    public <K> KeyedStream<K, T> keyBy(KeySelector<? super T, ? extends K> selector) {
        return keyBy(selector, null);
    }

    /** Like {@link #keyBy(KeySelector)}, with the key-by named by {@code named}. */
    public <K> KeyedStream<K, T> keyBy(KeySelector<? super T, ? extends K> selector, Named named) {
        requireNonNull(selector, "key selector");
        String name = builder.nameFor(named, "keyBy");
        return new KeyedStream<>(builder, builder.add(id -> new KeyByNode(id, name, node, selector)));
    }

    /**
     * This stream's records as a global table ({@link GlobalTable}): each record, mapped by
     * {@code value}, is the latest value of the key {@code key} takes from it, and a {@code null}
     * value deletes the key. Like {@link StreamBuilder#globalTable}, for reference data that comes
     * on a stream: instruments sent on the market feed, say. When the stream joined with it comes
     * from the same source reader, each shard sees the table's records and the stream's in the
     * order the reader emitted them, so a record emitted after its key's table record finds it.
     */
    public <K, V> GlobalTable<K, V> toGlobalTable(KeySelector<? super T, ? extends K> key,
                                                  MapFunction<? super T, ? extends V> value, Named named) {
        return toGlobalTable(key, value, named, Materialized.defaults());
    }

    /** Like {@link #toGlobalTable(KeySelector, MapFunction, Named)}, with the join's store chosen by {@code materialized}. */
    public <K, V> GlobalTable<K, V> toGlobalTable(KeySelector<? super T, ? extends K> key,
                                                  MapFunction<? super T, ? extends V> value, Named named,
                                                  Materialized<K, V> materialized) {
        requireNonNull(named, "named");
        return Joins.globalTable(builder, node, named, key, value, materialized);
    }

    /**
     * Joins each record with {@code table}'s value for the key {@code keyOf} takes from it, as
     * Kafka Streams' KStream-GlobalKTable join, with no {@code keyBy}: the record stays on its
     * shard, which holds the whole table (every table record is sent to every shard). A record
     * with no value, or a {@code null} key, is dropped. The result keeps the record's timestamp.
     *
     * <p>Not time-synchronized: a record meets what its shard's table holds when it arrives, and
     * there is no bootstrap: records processed before the table's first records arrive find no
     * value ({@link GlobalTable}). Cost per record: the key selector and one state read; per table
     * record, one write on every shard. The join runs in a stage of its own, fed shard to shard.
     *
     * <pre>{@code
     * orders.join(fxRates, Order::currency, (order, rate) -> order.amount() * rate).to(inEuros);
     * }</pre>
     */
    public <K, V, R> EventStream<R> join(GlobalTable<K, V> table, KeySelector<? super T, ? extends K> keyOf,
                                         ValueJoiner<? super T, ? super V, ? extends R> joiner) {
        return join(table, keyOf, joiner, null);
    }

    /** Like {@link #join(GlobalTable, KeySelector, ValueJoiner)}, with the join named by {@code named}. */
    public <K, V, R> EventStream<R> join(GlobalTable<K, V> table, KeySelector<? super T, ? extends K> keyOf,
                                         ValueJoiner<? super T, ? super V, ? extends R> joiner, Named named) {
        return new EventStream<>(builder, Joins.streamGlobal(builder, node, table, keyOf, joiner, false, named));
    }

    /**
     * Like {@link #join(GlobalTable, KeySelector, ValueJoiner)}, but a record with no value in
     * the table (or a {@code null} key) is joined with {@code null}: one result per record.
     */
    public <K, V, R> EventStream<R> leftJoin(GlobalTable<K, V> table, KeySelector<? super T, ? extends K> keyOf,
                                             ValueJoiner<? super T, ? super V, ? extends R> joiner) {
        return leftJoin(table, keyOf, joiner, null);
    }

    /** Like {@link #leftJoin(GlobalTable, KeySelector, ValueJoiner)}, with the join named by {@code named}. */
    public <K, V, R> EventStream<R> leftJoin(GlobalTable<K, V> table, KeySelector<? super T, ? extends K> keyOf,
                                             ValueJoiner<? super T, ? super V, ? extends R> joiner, Named named) {
        return new EventStream<>(builder, Joins.streamGlobal(builder, node, table, keyOf, joiner, true, named));
    }

    /** Ends the stream in {@code sink}; see {@link Sink} for the threads that call it. */
    public void to(Sink<? super T> sink) {
        to(sink, null);
    }

    /**
     * Ends the stream in {@code sink}, named so the test driver can read its output with
     * {@code driver.output(name)}.
     */
    public void to(Sink<? super T> sink, Named named) {
        requireNonNull(sink, "sink");
        String name = builder.nameFor(named, "sink");
        builder.add(id -> new SinkNode(id, name, node, sink));
    }

    private Node operator(String kind, Named named, OperatorFactory factory) {
        return builder.addOperator(node, kind, named, false, factory);
    }
}
