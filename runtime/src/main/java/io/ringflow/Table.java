package io.ringflow;

import io.ringflow.function.MapFunction;
import io.ringflow.internal.graph.Node;

/**
 * A keyed stream seen as its latest value per key, as a Kafka Streams {@code KTable}: each
 * record is an update of its key, and a {@code null} value (a Kafka tombstone) deletes the key.
 * Made by {@link KeyedStream#toTable()} or read from a source with
 * {@link StreamBuilder#table(String, Source, io.ringflow.function.KeySelector, MapFunction)}; join a
 * stream with it ({@link KeyedStream#join(Table, io.ringflow.function.ValueJoiner)}).
 *
 * <p>A table adds no operator of its own: it is stored where it is read, in the operator of each
 * join that reads it, in RocksDB (or the heap, if {@link Materialized} asks for it), one store
 * per shard holding the keys that shard owns, in every checkpoint. Its serdes and backend are
 * the {@code Materialized} it was made with. Two joins of one table store it twice.
 *
 * @param <K> the key; equal keys must be equal objects, as for {@code keyBy}
 * @param <V> the value
 */
public final class Table<K, V> {

    private final StreamBuilder builder;
    /** The keyed stream of updates; its values become the table's by {@link #valueOf}. */
    private final Node changelog;
    /** Turns a changelog record into the table's value; {@code null}: the record is the value. */
    private final MapFunction<Object, Object> valueOf;
    private final Materialized<K, V> materialized;

    @SuppressWarnings("unchecked")
    Table(StreamBuilder builder, Node changelog, MapFunction<?, ?> valueOf, Materialized<K, V> materialized) {
        this.builder = builder;
        this.changelog = changelog;
        this.valueOf = (MapFunction<Object, Object>) valueOf;
        this.materialized = materialized;
    }

    /**
     * The table's changelog: every update, keyed, in the order of its key's records; a delete is
     * a record with a {@code null} value. Cost: none for a table made by {@code toTable()}; a
     * source's table maps each record to its value (one call).
     */
    public KeyedStream<K, V> toStream() {
        KeyedStream<K, Object> updates = new KeyedStream<>(builder, changelog);
        if (valueOf == null) {
            @SuppressWarnings("unchecked")
            KeyedStream<K, V> same = (KeyedStream<K, V>) updates;
            return same;
        }
        return updates.map(record -> (V) valueOf.apply(record));
    }

    StreamBuilder builder() {
        return builder;
    }

    Node changelog() {
        return changelog;
    }

    MapFunction<Object, Object> valueOf() {
        return valueOf;
    }

    Materialized<K, V> materialized() {
        return materialized;
    }
}
