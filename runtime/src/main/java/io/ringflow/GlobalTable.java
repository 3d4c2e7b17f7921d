package io.ringflow;

import io.ringflow.function.KeySelector;
import io.ringflow.function.MapFunction;
import io.ringflow.internal.graph.Node;

/**
 * A small table replicated to every shard (instruments, FX rates, limits), as Kafka Streams'
 * {@code GlobalKTable}: made by {@link StreamBuilder#globalTable}, joined with
 * {@link EventStream#join(GlobalTable, KeySelector, io.ringflow.function.ValueJoiner)} by a key
 * taken from each stream record, with no {@code keyBy}: the stream stays on its shard and every
 * table record is sent to every shard of each join.
 *
 * <p>Each join that reads it keeps the whole table, once per shard, in RocksDB (or the heap, if
 * {@link Materialized} asks for it), in every checkpoint. It is not split by state partition:
 * when keyed state partitions move between instances it is neither dropped nor moved, since
 * every instance holds all of it. So every instance must read the table's whole source (a Kafka
 * topic without a consumer group, say), not a share of it.
 *
 * <p>There is no bootstrap phase: a stream record is joined with what the table holds on its
 * shard when the record gets there, so a record processed before its key's table record has
 * arrived finds no value (dropped by {@code join}, joined with {@code null} by {@code leftJoin}).
 *
 * @param <K> the table's key
 * @param <V> the table's value
 */
public final class GlobalTable<K, V> {

    private final StreamBuilder builder;
    /** The table's records, unkeyed, on the stage of its source. */
    private final Node records;
    private final KeySelector<Object, Object> keyOf;
    private final MapFunction<Object, Object> valueOf;
    private final Materialized<K, V> materialized;

    @SuppressWarnings("unchecked")
    GlobalTable(StreamBuilder builder, Node records, KeySelector<?, ?> keyOf, MapFunction<?, ?> valueOf,
                Materialized<K, V> materialized) {
        this.builder = builder;
        this.records = records;
        this.keyOf = (KeySelector<Object, Object>) keyOf;
        this.valueOf = (MapFunction<Object, Object>) valueOf;
        this.materialized = materialized;
    }

    StreamBuilder builder() {
        return builder;
    }

    Node records() {
        return records;
    }

    KeySelector<Object, Object> keyOf() {
        return keyOf;
    }

    MapFunction<Object, Object> valueOf() {
        return valueOf;
    }

    Materialized<K, V> materialized() {
        return materialized;
    }
}
