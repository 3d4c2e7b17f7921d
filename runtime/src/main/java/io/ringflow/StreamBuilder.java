package io.ringflow;

import io.ringflow.function.KeySelector;
import io.ringflow.function.MapFunction;
import io.ringflow.internal.graph.Node;
import io.ringflow.internal.graph.OperatorNode;
import io.ringflow.internal.graph.SideOutputNode;
import io.ringflow.internal.graph.SinkNode;
import io.ringflow.internal.graph.SourceNode;
import io.ringflow.internal.operator.OperatorFactory;
import io.ringflow.watermark.WatermarkStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Starts a topology: add sources, chain operators on the streams they return, end every
 * stream in a sink, then {@link #build()}.
 *
 * <pre>{@code
 * StreamBuilder builder = new StreamBuilder("word-count");
 * builder.source("lines", CollectionSource.of(lines))
 *        .flatMap(line -> List.of(line.toLowerCase().split("\\W+")))
 *        .filter(word -> !word.isEmpty())
 *        .keyBy(word -> word)
 *        .count()
 *        .to(ConsoleSink... );
 * Topology topology = builder.build();
 * }</pre>
 *
 * A builder is not thread-safe and builds one topology.
 */
public final class StreamBuilder {

    private final String name;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Node> byName = new HashMap<>();
    private boolean built;

    /** A builder for a topology named {@code "topology"}. */
    public StreamBuilder() {
        this("topology");
    }

    /** A builder for a topology with the given name; it names threads, logs and metrics. */
    public StreamBuilder(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a topology needs a non-blank name");
        }
        this.name = name;
    }

    /**
     * Adds a source. Each of its readers runs on a thread of its own; see {@link Source}.
     *
     * @param name unique name of the source; the test driver pipes input to it by this name
     */
    public <T> EventStream<T> source(String name, Source<T> source) {
        requireNonNull(source, "source");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a source needs a non-blank name: builder.source(\"orders\", source)");
        }
        SourceNode node = add(id -> new SourceNode(id, name, source));
        return new EventStream<>(this, node);
    }

    /**
     * Adds a source with event time: each record's timestamp comes from {@code watermarks}
     * (its extractor, or the source's own timestamp), and each reader tracks its own
     * watermark; what a stage sees is the minimum over every reader and shard that feeds it.
     */
    public <T> EventStream<T> source(String name, Source<T> source, WatermarkStrategy<? super T> watermarks) {
        requireNonNull(watermarks, "watermark strategy");
        return source(name, source).withWatermarks(watermarks);
    }

    /**
     * A table read from {@code source}: each record, mapped by {@code value}, is the latest value
     * of the key {@code key} takes from it; a {@code null} value (a Kafka tombstone) deletes the
     * key. Read a compacted topic with {@code KafkaSource.keyValue(...)} records. The source is
     * named {@code name} (the test driver pipes to it by that name) and its records are keyed
     * as by {@code keyBy} (named {@code name + "-key"}). Without event time, its watermark never
     * advances, which holds back every event-time operator downstream of a join with it: give it
     * a {@link WatermarkStrategy} then. Cost: as a source and a {@code keyBy}; see {@link Table}.
     */
    public <T, K, V> Table<K, V> table(String name, Source<T> source, KeySelector<? super T, ? extends K> key,
                                       MapFunction<? super T, ? extends V> value) {
        return Joins.table(this, name, source, key, value, null, Materialized.defaults());
    }

    /** Like {@link #table(String, Source, KeySelector, MapFunction)}, with event time by {@code watermarks}. */
    public <T, K, V> Table<K, V> table(String name, Source<T> source, KeySelector<? super T, ? extends K> key,
                                       MapFunction<? super T, ? extends V> value,
                                       WatermarkStrategy<? super T> watermarks) {
        requireNonNull(watermarks, "watermark strategy");
        return Joins.table(this, name, source, key, value, watermarks, Materialized.defaults());
    }

    /**
     * Like {@link #table(String, Source, KeySelector, MapFunction)}, with event time by
     * {@code watermarks} ({@code null}: none) and the joins' stores chosen by {@code materialized}.
     */
    public <T, K, V> Table<K, V> table(String name, Source<T> source, KeySelector<? super T, ? extends K> key,
                                       MapFunction<? super T, ? extends V> value,
                                       WatermarkStrategy<? super T> watermarks, Materialized<K, V> materialized) {
        return Joins.table(this, name, source, key, value, watermarks, materialized);
    }

    /**
     * A global table read from {@code source}, replicated to every shard of each join that reads
     * it ({@link GlobalTable}): each record, mapped by {@code value}, is the latest value of the
     * key {@code key} takes from it; a {@code null} value deletes it. The source is named
     * {@code name}. Cost per table record: one write on every shard of each join.
     */
    public <T, K, V> GlobalTable<K, V> globalTable(String name, Source<T> source,
                                                   KeySelector<? super T, ? extends K> key,
                                                   MapFunction<? super T, ? extends V> value) {
        return Joins.globalTable(this, name, source, key, value, null, Materialized.defaults());
    }

    /**
     * Like {@link #globalTable(String, Source, KeySelector, MapFunction)}, with event time by
     * {@code watermarks} ({@code null}: none) and the joins' stores chosen by {@code materialized}.
     */
    public <T, K, V> GlobalTable<K, V> globalTable(String name, Source<T> source,
                                                   KeySelector<? super T, ? extends K> key,
                                                   MapFunction<? super T, ? extends V> value,
                                                   WatermarkStrategy<? super T> watermarks,
                                                   Materialized<K, V> materialized) {
        return Joins.globalTable(this, name, source, key, value, watermarks, materialized);
    }

    /**
     * Adds a source read as a versioned table ({@link VersionedTable}): each record a version of
     * the key {@code keySelector} gives, valid from its event time, kept for {@code history}
     * behind the watermark. The same as {@code source(name, source, watermarks).keyBy(keySelector)
     * .toVersionedTable(history)}.
     */
    public <T, K> VersionedTable<K, T> versionedTable(String name, Source<T> source,
                                                      KeySelector<? super T, ? extends K> keySelector,
                                                      WatermarkStrategy<? super T> watermarks, Duration history) {
        return source(name, source, watermarks).<K>keyBy(keySelector).toVersionedTable(history);
    }

    /**
     * Checks the topology and freezes it. Fails with a {@link TopologyException} that says what
     * to change when the topology cannot run: no source, a stream that reaches no sink, a
     * source with no readers.
     */
    public Topology build() {
        checkNotBuilt();
        if (nodes.isEmpty()) {
            throw new TopologyException("topology '" + name + "' has no source: add one with "
                    + "builder.source(name, source) and end its stream with to(sink)");
        }
        for (Node node : nodes) {
            if (node.children().isEmpty() && !(node instanceof SinkNode)) {
                throw new TopologyException("topology '" + name + "': the output of " + node
                        + " reaches no sink, so it would be computed and thrown away;"
                        + " end that stream with to(sink), or remove it");
            }
            if (node instanceof SourceNode source && source.source().readers() < 1) {
                throw new TopologyException("topology '" + name + "': source '" + node.name() + "' has "
                        + source.source().readers() + " readers; Source.readers() must return at least 1");
            }
        }
        built = true;
        return new Topology(name, nodes);
    }

    <N extends Node> N add(IntFunction<N> create) {
        checkNotBuilt();
        N node = create.apply(nodes.size());
        Node clash = byName.putIfAbsent(node.name(), node);
        if (clash != null) {
            throw new TopologyException(nameClash(clash, node));
        }
        nodes.add(node);
        return node;
    }

    /** Which two nodes want one name, what each does, why that cannot be, and what to change. */
    private String nameClash(Node first, Node second) {
        String message = "topology '" + name + "': the name '" + second.name() + "' is used by both "
                + first.describe() + " and " + second.describe() + "; names must be unique in a topology, because"
                + " state, metrics and test-driver outputs are looked up by name";
        if (first instanceof SinkNode a && a.lateRecords() && second instanceof SinkNode b && b.lateRecords()) {
            String window = b.parents().get(0).name();
            return message + ". Each aggregation of a WindowedStream adds its own late-record sink, so a"
                    + " WindowedStream with lateRecords(sink, Named.as(\"" + second.name() + "\")) cannot be aggregated"
                    + " twice: call lateRecords(sink, Named.as(\"" + window + "-late\")) on it before the aggregation"
                    + " of window '" + window + "'";
        }
        return message + ": give one of them another name with Named.as(...)";
    }

    /** The given name, or the kind and position of the node about to be added: {@code map-3}. */
    String nameFor(Named named, String kind) {
        return named != null ? named.name() : kind + "-" + nodes.size();
    }

    /**
     * Adds a stateful two-input operator reading {@code first} and {@code second}; with
     * {@code broadcastSecond}, every record of {@code second} reaches every shard.
     */
    OperatorNode addTwoInputOperator(Node first, Node second, String kind, Named named, boolean broadcastSecond,
                                     OperatorFactory factory) {
        if (first == second) {
            throw new TopologyException(kind + ": a stream cannot be connected to itself; to join a stream with"
                    + " itself, keep what you need of its records in the state of one keyed process");
        }
        String operatorName = nameFor(named, kind);
        return add(id -> new OperatorNode(id, operatorName, kind, List.of(first, second), broadcastSecond, true,
                factory));
    }

    /** Adds a fused per-record operator reading from {@code parent}. */
    Node addOperator(Node parent, String kind, Named named, boolean stateful, OperatorFactory factory) {
        String operatorName = nameFor(named, kind);
        return add(id -> new OperatorNode(id, operatorName, kind, parent, stateful, factory));
    }

    /**
     * The node of {@code operator}'s side output {@code tag}: the one taken before for a tag of
     * that name, or a new one. Refuses a stream that no {@code process} made, and a second tag
     * of one name with another type.
     */
    Node sideOutput(Node operator, OutputTag<?> tag) {
        requireNonNull(tag, "output tag");
        if (!(operator instanceof OperatorNode op) || !op.kind().equals("process")) {
            String window = operator.kind().equals("window") ? "; a window's late records are taken with"
                    + " lateRecords(tag), after sideOutputLateData(tag) on its WindowedStream" : "";
            throw new TopologyException("topology '" + name + "': sideOutput(" + tag + ") on " + operator
                    + ", which has no side outputs: only process(...) emits to tags (ctx.output(tag, value)), so"
                    + " take the side output from the stream process returns: stream.process(function).sideOutput(tag)"
                    + window);
        }
        return takeSideOutput(op, tag);
    }

    /** The node of the late records of window {@code window}, which must have sent them to {@code tag}. */
    Node lateRecords(Node window, OutputTag<?> tag) {
        requireNonNull(tag, "late-data tag");
        OutputTag<?> late = window instanceof OperatorNode op ? op.lateDataTag() : null;
        if (late == null) {
            throw new TopologyException("topology '" + name + "': lateRecords(" + tag + ") on " + window
                    + ", which makes no stream of late records: call sideOutputLateData(tag) on the WindowedStream"
                    + " before its count, reduce or aggregate, then lateRecords(tag) on the stream that returns");
        }
        if (!late.equals(tag)) {
            throw new TopologyException("topology '" + name + "': lateRecords(" + tag + ") on " + window
                    + ", whose late records go to " + late + "; take them with that tag");
        }
        return takeSideOutput((OperatorNode) window, tag);
    }

    private Node takeSideOutput(OperatorNode operator, OutputTag<?> tag) {
        checkNotBuilt();
        SideOutputNode taken = SideOutputNode.of(operator, tag);
        if (taken == null) {
            return add(id -> new SideOutputNode(id, operator, tag));
        }
        if (taken.tag().type() != tag.type()) {
            throw new TopologyException("topology '" + name + "': " + operator + " already has side output '"
                    + tag.name() + "' as " + taken.tag() + ", and now " + tag + " is asked for; a tag's name is unique"
                    + " per operator: use the same OutputTag in the function and the topology, or give the other tag"
                    + " another name");
        }
        return taken;
    }

    boolean owns(EventStream<?> stream) {
        return stream.builder() == this;
    }

    static void requireNonNull(Object argument, String what) {
        if (argument == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
    }

    private void checkNotBuilt() {
        if (built) {
            throw new IllegalStateException("this StreamBuilder has already built topology '" + name
                    + "'; a topology cannot change once built: use a new StreamBuilder");
        }
    }
}
