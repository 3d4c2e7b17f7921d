package io.ringflow;

import static io.ringflow.StreamBuilder.requireNonNull;

import io.ringflow.function.ValueJoiner;
import io.ringflow.internal.graph.Node;
import io.ringflow.internal.graph.OperatorNode;
import io.ringflow.internal.join.IntervalJoinOperator;
import io.ringflow.internal.join.JoinSpec;
import io.ringflow.internal.join.JoinType;
import io.ringflow.state.Serde;

/**
 * An interval join with its interval set ({@link IntervalJoin#between}): choose the join type.
 * Each returns a stream of results keyed as the inputs; a pair's result has the later of its
 * two timestamps, an unmatched record's result (left and outer joins) the last time a record of
 * the other side could have matched it ({@code t + after} for a left record at {@code t},
 * {@code u + before} for a right one at {@code u}), when the watermark passes which it is
 * emitted with {@code null} for the missing side.
 *
 * <p>Which records count: a record before the watermark it is judged against (its own source
 * reader's, as for windows, or the shard's if that is further; the test driver's one
 * watermark) is late: dropped and counted in {@code ringflow.records.late} (and
 * {@code lateRecords(name)}), whatever the join type, as Flink drops it. Every other record
 * meets every record of the other side it matches that is not late, exactly once, whichever
 * arrives first.
 *
 * <p>Cost per record: one range read of the other side's buffered records of its key (in the
 * write-back cache while they are hot), one point read and one write to buffer it, and for left
 * and outer joins one write per buffered record it is the first match of. State: every record
 * that is not late, until the watermark passes its interval; two RocksDB column families per
 * side and state partition (records by key and time, and a time index for expiry), or on the
 * heap with {@link Materialized#inMemory()}, whose window store reads a key's records by
 * visiting every timestamp of the interval, of every key: 8 to 12 times slower than RocksDB with
 * a 10 s interval and a record a millisecond ({@code IntervalJoinBenchmark}). Values are written
 * by the serdes of {@link #withValueSerdes}, or ones inferred from their types.
 */
public final class IntervalJoined<K, A, B> {

    private final StreamBuilder builder;
    private final Node left;
    private final Node right;
    private final long before;
    private final long after;
    private final Serde<A> leftSerde;
    private final Serde<B> rightSerde;

    IntervalJoined(StreamBuilder builder, Node left, Node right, long before, long after, Serde<A> leftSerde,
                   Serde<B> rightSerde) {
        this.builder = builder;
        this.left = left;
        this.right = right;
        this.before = before;
        this.after = after;
        this.leftSerde = leftSerde;
        this.rightSerde = rightSerde;
    }

    /** The same join, with the buffered values written by these serdes instead of inferred ones. */
    public IntervalJoined<K, A, B> withValueSerdes(Serde<A> leftValues, Serde<B> rightValues) {
        requireNonNull(leftValues, "left value serde");
        requireNonNull(rightValues, "right value serde");
        return new IntervalJoined<>(builder, left, right, before, after, leftValues, rightValues);
    }

    /** Inner join: a result for each matching pair, none for a record that matches nothing. */
    public <R> KeyedStream<K, R> join(ValueJoiner<? super A, ? super B, ? extends R> joiner) {
        return join(joiner, null);
    }

    public <R> KeyedStream<K, R> join(ValueJoiner<? super A, ? super B, ? extends R> joiner, Named named) {
        return join(joiner, named, Materialized.defaults());
    }

    /** Like {@link #join(ValueJoiner)}; {@code materialized} gives the key serde or the heap (not a value serde). */
    public <R> KeyedStream<K, R> join(ValueJoiner<? super A, ? super B, ? extends R> joiner, Named named,
                                      Materialized<K, ?> materialized) {
        return add(JoinType.INNER, joiner, named, materialized);
    }

    /**
     * Left join: the pairs, and each left record that matched nothing, joined with {@code null}
     * once the watermark passes {@code t + after}. Every left record that is not late has at
     * least one result.
     */
    public <R> KeyedStream<K, R> leftJoin(ValueJoiner<? super A, ? super B, ? extends R> joiner) {
        return leftJoin(joiner, null);
    }

    public <R> KeyedStream<K, R> leftJoin(ValueJoiner<? super A, ? super B, ? extends R> joiner, Named named) {
        return leftJoin(joiner, named, Materialized.defaults());
    }

    public <R> KeyedStream<K, R> leftJoin(ValueJoiner<? super A, ? super B, ? extends R> joiner, Named named,
                                          Materialized<K, ?> materialized) {
        return add(JoinType.LEFT, joiner, named, materialized);
    }

    /**
     * Outer join: as {@link #leftJoin}, and also each right record at {@code u} that matched
     * nothing, as {@code joiner(null, right)} once the watermark passes {@code u + before}.
     */
    public <R> KeyedStream<K, R> outerJoin(ValueJoiner<? super A, ? super B, ? extends R> joiner) {
        return outerJoin(joiner, null);
    }

    public <R> KeyedStream<K, R> outerJoin(ValueJoiner<? super A, ? super B, ? extends R> joiner, Named named) {
        return outerJoin(joiner, named, Materialized.defaults());
    }

    public <R> KeyedStream<K, R> outerJoin(ValueJoiner<? super A, ? super B, ? extends R> joiner, Named named,
                                           Materialized<K, ?> materialized) {
        return add(JoinType.OUTER, joiner, named, materialized);
    }

    @SuppressWarnings("unchecked")
    private <R> KeyedStream<K, R> add(JoinType type, ValueJoiner<? super A, ? super B, ? extends R> joiner,
                                      Named named, Materialized<K, ?> materialized) {
        requireNonNull(joiner, "joiner");
        requireNonNull(materialized, "materialized");
        if (materialized.valueSerde() != null) {
            throw new TopologyException("intervalJoin: Materialized's value serde is not used, as the two sides hold"
                    + " values of two types; give their serdes with withValueSerdes(left, right)");
        }
        JoinSpec spec = new JoinSpec(type, before, after, (ValueJoiner<Object, Object, Object>) joiner, materialized,
                leftSerde, rightSerde);
        OperatorNode join = builder.addTwoInputOperator(left, right, "interval-join", named, false,
                (context, next) -> new IntervalJoinOperator(context, spec, next));
        join.heapState(materialized.isInMemory());
        return new KeyedStream<>(builder, join);
    }
}
