package io.ringflow;

import io.ringflow.internal.graph.Node;
import java.time.Duration;

/**
 * A keyed stream read as a table with history: each record is a version of its key, valid from
 * its timestamp until the key's next version; a {@code null} value is a tombstone (the key has
 * no value from then on). Made by {@link KeyedStream#toVersionedTable} or
 * {@link StreamBuilder#versionedTable}, and read by {@link KeyedStream#asOfJoin}, which joins
 * each record with the version valid at the record's event time (Kafka Streams' versioned
 * tables, KIP-889/914; Flink's event-time temporal join).
 *
 * <p>History is kept for {@link #history()} behind the watermark: a version is dropped once a
 * newer version of its key is valid at {@code watermark - history}. So history is how late a
 * stream record, or an out-of-order version, may come and still be joined as if on time.
 *
 * <p>Each join that reads the table keeps its own copy of the versions, in its state (RocksDB
 * unless {@link Materialized} says heap), on the shard of each key: one write per version.
 */
public final class VersionedTable<K, V> {

    private final StreamBuilder builder;
    private final Node node;
    private final Duration history;
    private final Materialized<K, V> materialized;

    VersionedTable(StreamBuilder builder, Node node, Duration history, Materialized<K, V> materialized) {
        if (history == null || history.isNegative()) {
            throw new IllegalArgumentException("a versioned table needs a history >= 0, got " + history);
        }
        StreamBuilder.requireNonNull(materialized, "materialized");
        this.builder = builder;
        this.node = node;
        this.history = history;
        this.materialized = materialized;
    }

    /** How far behind the watermark versions stay readable. */
    public Duration history() {
        return history;
    }

    StreamBuilder builder() {
        return builder;
    }

    Node node() {
        return node;
    }

    Materialized<K, V> materialized() {
        return materialized;
    }
}
