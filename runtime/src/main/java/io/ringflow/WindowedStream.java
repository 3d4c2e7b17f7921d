package io.ringflow;

import static io.ringflow.StreamBuilder.requireNonNull;

import io.ringflow.function.Aggregator;
import io.ringflow.function.Initializer;
import io.ringflow.function.Reducer;
import io.ringflow.internal.graph.Node;
import io.ringflow.internal.graph.OperatorNode;
import io.ringflow.internal.graph.SinkNode;
import io.ringflow.internal.graph.SourceNode;
import io.ringflow.internal.operator.WindowOperator;
import io.ringflow.state.Serde;
import io.ringflow.state.Serdes;
import io.ringflow.windowing.EmitStrategy;
import io.ringflow.windowing.WindowSpec;
import io.ringflow.windowing.Windowed;
import io.ringflow.windowing.WindowedAggregation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A keyed stream cut into event-time windows, waiting for its aggregation: {@link #count},
 * {@link #reduce} or {@link #aggregate} give one result per (key, window), keyed by
 * {@link Windowed}. Immutable: {@link #emit}, {@link #lateRecords} and {@link #sideOutputLateData}
 * return a new one.
 *
 * <pre>{@code
 * trades.keyBy(Trade::symbol)
 *       .window(TumblingWindows.of(Duration.ofSeconds(1)).grace(Duration.ofMillis(200)))
 *       .emit(EmitStrategy.onWindowClose())
 *       .count(Named.as("trades-per-second"));
 * }</pre>
 *
 * A window accepts records until {@code watermark >= end + grace}; a record for a closed
 * window is late: counted in no result, counted by {@code Pipeline.lateRecords(name)}, and
 * written to {@link #lateRecords(Sink, Named)} and made a stream by {@link #sideOutputLateData}
 * if set. A window's state is deleted when it
 * closes. Windows need event time: every source feeding them needs a watermark strategy.
 */
public final class WindowedStream<K, V> {

    private final StreamBuilder builder;
    private final Node node;
    private final WindowSpec windows;
    private final EmitStrategy emit;
    private final Sink<? super KeyValue<K, V>> lateSink;
    private final Named lateName;
    private final OutputTag<KeyValue<K, V>> lateTag;

    WindowedStream(StreamBuilder builder, Node node, WindowSpec windows, EmitStrategy emit,
                   Sink<? super KeyValue<K, V>> lateSink, Named lateName, OutputTag<KeyValue<K, V>> lateTag) {
        this.builder = builder;
        this.node = node;
        this.windows = windows;
        this.emit = emit;
        this.lateSink = lateSink;
        this.lateName = lateName;
        this.lateTag = lateTag;
    }

    /** When results are emitted; {@link EmitStrategy#onWindowClose()} unless set. */
    public WindowedStream<K, V> emit(EmitStrategy emit) {
        requireNonNull(emit, "emit strategy");
        return new WindowedStream<>(builder, node, windows, emit, lateSink, lateName, lateTag);
    }

    /**
     * Makes the records that arrive after all their windows closed a stream, as Flink's
     * {@code sideOutputLateData}: take it with {@link KeyedStream#lateRecords(OutputTag)} on the
     * stream the next aggregation returns. Late records are still counted. The stream is keyed
     * by the records' own key (not their window's), on the shard that owns it, so it can be
     * counted or sent to a sink like any keyed stream; the tag's type says so, a keyed stream of
     * {@code K} and {@code V} being one of {@code KeyValue<K, V>}. Cost: nothing for records on time.
     *
     * <pre>{@code
     * static final OutputTag<KeyValue<String, Trade>> LATE = OutputTag.of("late-trades", KeyValue.class);
     * KeyedStream<Windowed<String>, Long> counts = trades.keyBy(Trade::symbol)
     *         .window(TumblingWindows.of(Duration.ofSeconds(1))).sideOutputLateData(LATE).count(Named.as("counts"));
     * counts.lateRecords(LATE).count(Named.as("late-per-symbol")).to(sink);
     * }</pre>
     */
    public WindowedStream<K, V> sideOutputLateData(OutputTag<KeyValue<K, V>> tag) {
        requireNonNull(tag, "late-data tag");
        return new WindowedStream<>(builder, node, windows, emit, lateSink, lateName, tag);
    }

    /**
     * Writes records that arrive after all their windows closed to {@code sink}, as key and
     * value. The sink belongs to the aggregation ({@code count}, {@code reduce} or
     * {@code aggregate}) called next; a WindowedStream aggregated more than once needs a
     * {@code lateRecords} with a name of its own before each aggregation, since names are
     * unique in a topology. Cost: nothing for records on time.
     */
    public WindowedStream<K, V> lateRecords(Sink<? super KeyValue<K, V>> sink, Named named) {
        requireNonNull(sink, "late-record sink");
        return new WindowedStream<>(builder, node, windows, emit, sink, named, lateTag);
    }

    /**
     * Records per (key, window). The window operator is named after its kind and position,
     * {@code window-4} say (see {@link Topology#describe()}); its state and its late-record
     * count ({@code Pipeline.lateRecords}) go by that name, which changes when operators are
     * added before it, so name windows whose state must survive topology changes with
     * {@link #count(Named)}. Cost: one state read and write per record and window it falls in.
     */
    public KeyedStream<Windowed<K>, Long> count() {
        return count(null);
    }

    /** Records per (key, window), in a window operator named {@code named}; see {@link #count()}. */
    public KeyedStream<Windowed<K>, Long> count(Named named) {
        return count(named, Materialized.defaults());
    }

    /** Like {@link #count(Named)}, with the store's key serde or backend chosen by {@code materialized}. */
    public KeyedStream<Windowed<K>, Long> count(Named named, Materialized<K, Long> materialized) {
        return window(named, materialized, Serdes.longs(), new WindowedAggregation.Aggregate<>() {
            @Override
            public Object initial() {
                return 0L;
            }

            @Override
            public Object add(Object key, Object value, Object count) {
                return (Long) count + 1L;
            }

            @Override
            public Object merge(Object key, Object left, Object right) {
                return (Long) left + (Long) right;
            }
        });
    }

    /**
     * The values of each (key, window) reduced into one; sessions merge with the same reducer.
     * The window operator is named after its kind and position, as for {@link #count()}.
     * Cost: one state read and write per record and window it falls in.
     */
    public KeyedStream<Windowed<K>, V> reduce(Reducer<V> reducer) {
        return reduce(reducer, null);
    }

    /** Like {@link #reduce(Reducer)}, in a window operator named {@code named}. */
    public KeyedStream<Windowed<K>, V> reduce(Reducer<V> reducer, Named named) {
        return reduce(reducer, named, Materialized.defaults());
    }

    /** Like {@link #reduce(Reducer, Named)}, with the store's serdes or backend chosen by {@code materialized}. */
    @SuppressWarnings("unchecked")
    public KeyedStream<Windowed<K>, V> reduce(Reducer<V> reducer, Named named, Materialized<K, V> materialized) {
        requireNonNull(reducer, "reducer");
        Reducer<Object> r = (Reducer<Object>) reducer;
        return window(named, materialized, null, new WindowedAggregation.Aggregate<>() {
            @Override
            public Object initial() {
                return null;
            }

            @Override
            public Object add(Object key, Object value, Object aggregate) throws Exception {
                return aggregate == null ? value : r.apply(aggregate, value);
            }

            @Override
            public Object merge(Object key, Object left, Object right) throws Exception {
                return r.apply(left, right);
            }
        });
    }

    /**
     * An aggregate of any type per (key, window): {@code initializer} starts it for a new
     * window, {@code aggregator} folds each record in. For tumbling and hopping windows;
     * session windows also need a {@link Merger}, see
     * {@link #aggregate(Initializer, Aggregator, Merger, Named)}. The window operator is named
     * after its kind and position, as for {@link #count()}; the aggregate's type needs a serde
     * unless it is one Ringflow infers (see {@link Materialized}), so a type of your own goes
     * with {@link #aggregate(Initializer, Aggregator, Named, Materialized)}. Cost: one state
     * read and write per record and window it falls in.
     *
     * @throws TopologyException for session windows, which need a merger
     */
    public <A> KeyedStream<Windowed<K>, A> aggregate(Initializer<A> initializer,
                                                      Aggregator<? super K, ? super V, A> aggregator) {
        return aggregate(initializer, aggregator, (Named) null);
    }

    /** Like {@link #aggregate(Initializer, Aggregator)}, in a window operator named {@code named}. */
    public <A> KeyedStream<Windowed<K>, A> aggregate(Initializer<A> initializer,
                                                      Aggregator<? super K, ? super V, A> aggregator, Named named) {
        return aggregate(initializer, aggregator, named, Materialized.defaults());
    }

    /**
     * Like {@link #aggregate(Initializer, Aggregator, Named)}, with the store's serdes or
     * backend chosen by {@code materialized}: the overload for an aggregate of a type of your
     * own in tumbling or hopping windows, which need no merger.
     *
     * <pre>{@code
     * .window(TumblingWindows.of(Duration.ofSeconds(1)))
     * .aggregate(Vwap::new, (symbol, trade, vwap) -> vwap.add(trade), Named.as("vwap"),
     *            Materialized.with(Serdes.string(), vwapSerde))
     * }</pre>
     *
     * @throws TopologyException for session windows, which need a merger: use
     *         {@link #aggregate(Initializer, Aggregator, Merger, Named, Materialized)}
     */
    public <A> KeyedStream<Windowed<K>, A> aggregate(Initializer<A> initializer,
                                                      Aggregator<? super K, ? super V, A> aggregator, Named named,
                                                      Materialized<K, A> materialized) {
        return aggregate(initializer, aggregator, null, named, materialized);
    }

    /**
     * Combines the aggregates of two sessions that a record has joined into one session; only
     * session windows merge, so only they need one.
     */
    @FunctionalInterface
    public interface Merger<K, A> {
        A apply(K key, A left, A right) throws Exception;
    }

    /**
     * An aggregate of any type per (key, window) with a {@code merger} for session windows:
     * when a record falls between two sessions of a key and closes the gap, their aggregates
     * are combined with {@code merger}. Like Kafka Streams' session {@code aggregate} with a
     * session merger.
     */
    public <A> KeyedStream<Windowed<K>, A> aggregate(Initializer<A> initializer,
                                                      Aggregator<? super K, ? super V, A> aggregator,
                                                      Merger<? super K, A> merger, Named named) {
        return aggregate(initializer, aggregator, merger, named, Materialized.defaults());
    }

    /**
     * Like {@link #aggregate(Initializer, Aggregator, Merger, Named)}, with the store's serdes
     * or backend chosen by {@code materialized}. The {@code merger} is needed for session
     * windows, which merge sessions; tumbling and hopping windows never merge and ignore it
     * (use {@link #aggregate(Initializer, Aggregator, Named, Materialized)} for them).
     *
     * @throws TopologyException if {@code merger} is {@code null} and the windows are session windows
     */
    @SuppressWarnings("unchecked")
    public <A> KeyedStream<Windowed<K>, A> aggregate(Initializer<A> initializer,
                                                      Aggregator<? super K, ? super V, A> aggregator,
                                                      Merger<? super K, A> merger, Named named,
                                                      Materialized<K, A> materialized) {
        if (merger == null && windows.isMerging()) {
            throw new TopologyException("window '" + builder.nameFor(named, "window") + "': session windows merge"
                    + " two sessions when a record bridges them, so aggregate needs a Merger that combines their"
                    + " aggregates: use aggregate(initializer, aggregator, merger, named) or aggregate(initializer,"
                    + " aggregator, merger, named, materialized)");
        }
        requireNonNull(initializer, "initializer");
        requireNonNull(aggregator, "aggregator");
        Aggregator<Object, Object, Object> agg = (Aggregator<Object, Object, Object>) aggregator;
        Merger<Object, Object> m = (Merger<Object, Object>) merger;
        return window(named, materialized, null, new WindowedAggregation.Aggregate<>() {
            @Override
            public Object initial() throws Exception {
                return initializer.apply();
            }

            @Override
            public Object add(Object key, Object value, Object aggregate) throws Exception {
                return agg.apply(key, value, aggregate);
            }

            @Override
            public Object merge(Object key, Object left, Object right) throws Exception {
                if (m == null) {
                    return WindowedAggregation.Aggregate.super.merge(key, left, right);
                }
                return m.apply(key, left, right);
            }
        });
    }

    private <R> KeyedStream<Windowed<K>, R> window(Named named, Materialized<?, ?> materialized, Serde<?> valueSerde,
                                                    WindowedAggregation.Aggregate<Object, Object, Object> aggregate) {
        requireNonNull(materialized, "materialized");
        String name = builder.nameFor(named, "window");
        requireEventTime(name);
        WindowSpec spec = windows;
        EmitStrategy strategy = emit;
        OutputTag<?> lateData = lateTag;
        Node window = builder.addOperator(node, "window", Named.as(name), true,
                (c, next) -> new WindowOperator(c, spec, strategy, aggregate, materialized, valueSerde, lateData, next));
        ((OperatorNode) window).heapState(materialized.isInMemory());
        ((OperatorNode) window).lateDataTag(lateTag);
        if (emit instanceof EmitStrategy.EveryInterval interval) {
            ((OperatorNode) window).processingTimeIntervalMillis(interval.intervalMillis());
        }
        if (lateSink != null) {
            String lateSinkName = builder.nameFor(lateName, "sink");
            SinkNode late = builder.add(id -> new SinkNode(id, lateSinkName, window, lateSink, true));
            ((OperatorNode) window).sideOutput(late);
        }
        return new KeyedStream<>(builder, window);
    }

    /** Windows close by watermark: every source that feeds them must make watermarks. */
    private void requireEventTime(String name) {
        List<String> missing = new ArrayList<>();
        Set<Node> seen = new HashSet<>();
        Deque<Node> todo = new ArrayDeque<>(List.of(node));
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (!seen.add(n)) {
                continue;
            }
            if (n instanceof SourceNode source && source.watermarks() == null) {
                missing.add("'" + source.name() + "'");
            }
            todo.addAll(n.parents());
        }
        if (!missing.isEmpty()) {
            throw new TopologyException("window '" + name + "': " + emit + " needs event time, and source "
                    + String.join(", ", missing) + " has no watermark strategy; call withWatermarks(...) on it,"
                    + " for example WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(200))");
        }
    }
}
