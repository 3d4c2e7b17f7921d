package io.ringflow;

import static io.ringflow.StreamBuilder.requireNonNull;

import io.ringflow.function.KeySelector;
import io.ringflow.function.ValueJoiner;
import io.ringflow.internal.graph.Node;
import java.time.Duration;

/**
 * The joins of a {@link KeyedStream}, and the tables it can be seen as: a class of their own so
 * that {@code KeyedStream} holds the per-key operators and this the ways two inputs meet. Users
 * see these methods on {@code KeyedStream}; this class is not API.
 */
abstract class KeyedJoins<K, V> {

    final StreamBuilder builder;
    final Node node;

    KeyedJoins(StreamBuilder builder, Node node) {
        this.builder = builder;
        this.node = node;
    }

    Node node() {
        return node;
    }

    /** The stream of {@code next}'s records, keyed as this one. */
    abstract <K2, V2> KeyedStream<K2, V2> keyed(Node next);

    private KeyedStream<K, V> self() {
        return (KeyedStream<K, V>) this;
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
        return AsOfJoins.join(builder, self(), table, joiner, false, named, materialized);
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
        return AsOfJoins.join(builder, self(), table, joiner, true, named, materialized);
    }
}
