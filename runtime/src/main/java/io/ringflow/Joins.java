package io.ringflow;

import static io.ringflow.StreamBuilder.requireNonNull;

import io.ringflow.function.KeySelector;
import io.ringflow.function.MapFunction;
import io.ringflow.function.ValueJoiner;
import io.ringflow.internal.graph.Node;
import io.ringflow.internal.graph.OperatorNode;
import io.ringflow.internal.graph.SourceNode;
import io.ringflow.internal.join.GlobalTableJoinOperator;
import io.ringflow.internal.join.StreamTableJoinOperator;
import io.ringflow.internal.operator.MapOperator;
import io.ringflow.watermark.WatermarkStrategy;

/** What the DSL's table and join calls add to a topology, so the stream classes only delegate. */
final class Joins {

    /** Passes records on unchanged: the node a two-input operator reads where the DSL has none. */
    private static final MapFunction<Object, Object> SAME = value -> value;

    private Joins() {
    }

    /** The join operator of {@code stream} (a keyed stream's node) with {@code table}. */
    static OperatorNode streamTable(StreamBuilder builder, Node stream, Table<?, ?> table, ValueJoiner<?, ?, ?> joiner,
                                    boolean left, Named named) {
        requireNonNull(table, "table");
        requireNonNull(joiner, "value joiner");
        String kind = left ? "leftJoin" : "join";
        requireSameBuilder(builder, table.builder(), kind, "table");
        Materialized<?, ?> materialized = table.materialized();
        OperatorNode join = builder.addTwoInputOperator(stream, table.changelog(), kind, named, false,
                (c, next) -> new StreamTableJoinOperator(c, joiner, table.valueOf(), left, materialized, next));
        join.heapState(materialized.isInMemory());
        return join;
    }

    /** The join operator of {@code stream} (keyed or not) with the global table {@code table}. */
    static OperatorNode streamGlobal(StreamBuilder builder, Node stream, GlobalTable<?, ?> table,
                                     KeySelector<?, ?> keyOf, ValueJoiner<?, ?, ?> joiner, boolean left, Named named) {
        requireNonNull(table, "global table");
        requireNonNull(keyOf, "key selector of the table's key");
        requireNonNull(joiner, "value joiner");
        String kind = left ? "leftJoin" : "join";
        requireSameBuilder(builder, table.builder(), kind, "global table");
        Node first = stream instanceof SourceNode ? passThrough(builder, stream, "joinInput", null) : stream;
        Materialized<?, ?> materialized = table.materialized();
        OperatorNode join = builder.addTwoInputOperator(first, table.records(), kind, named, true,
                (c, next) -> new GlobalTableJoinOperator(c, joiner, keyOf, table.keyOf(), table.valueOf(), left,
                        materialized, next));
        join.heapState(materialized.isInMemory());
        return join;
    }

    /** A table read from {@code source}: the source, then a {@code keyBy} named {@code name + "-key"}. */
    static <T, K, V> Table<K, V> table(StreamBuilder builder, String name, Source<T> source,
                                       KeySelector<? super T, ? extends K> key,
                                       MapFunction<? super T, ? extends V> value,
                                       WatermarkStrategy<? super T> watermarks, Materialized<K, V> materialized) {
        requireNonNull(key, "key selector");
        requireNonNull(value, "value mapper");
        requireNonNull(materialized, "materialized");
        EventStream<T> records = watermarks == null ? builder.source(name, source)
                : builder.source(name, source, watermarks);
        KeyedStream<K, T> keyed = records.keyBy(key, Named.as(name + "-key"));
        return new Table<>(builder, keyed.node(), value, materialized);
    }

    /** A global table read from {@code source}: the source, then a pass-through named {@code name + "-table"}. */
    static <T, K, V> GlobalTable<K, V> globalTable(StreamBuilder builder, String name, Source<T> source,
                                                   KeySelector<? super T, ? extends K> key,
                                                   MapFunction<? super T, ? extends V> value,
                                                   WatermarkStrategy<? super T> watermarks,
                                                   Materialized<K, V> materialized) {
        requireNonNull(key, "key selector");
        requireNonNull(value, "value mapper");
        requireNonNull(materialized, "materialized");
        EventStream<T> records = watermarks == null ? builder.source(name, source)
                : builder.source(name, source, watermarks);
        return globalTable(builder, records.node(), Named.as(name + "-table"), key, value, materialized);
    }

    /** A global table of the records of {@code stream}: a pass-through named by {@code named}. */
    static <T, K, V> GlobalTable<K, V> globalTable(StreamBuilder builder, Node stream, Named named,
                                                   KeySelector<? super T, ? extends K> key,
                                                   MapFunction<? super T, ? extends V> value,
                                                   Materialized<K, V> materialized) {
        requireNonNull(key, "key selector");
        requireNonNull(value, "value mapper");
        requireNonNull(materialized, "materialized");
        Node table = passThrough(builder, stream, "globalTable", named);
        return new GlobalTable<>(builder, table, key, value, materialized);
    }

    private static Node passThrough(StreamBuilder builder, Node parent, String kind, Named named) {
        return builder.addOperator(parent, kind, named, false, (c, next) -> new MapOperator(c, SAME, next));
    }

    private static void requireSameBuilder(StreamBuilder builder, StreamBuilder other, String kind, String what) {
        if (other != builder) {
            throw new TopologyException(kind + ": the " + what + " belongs to another StreamBuilder;"
                    + " build the stream and the " + what + " with the same builder");
        }
    }
}
