package io.ringflow;

import static io.ringflow.StreamBuilder.requireNonNull;

import io.ringflow.function.ValueJoiner;
import io.ringflow.internal.graph.OperatorNode;
import io.ringflow.internal.join.AsOfJoinOperator;

/** Adds the as-of joins of {@link KeyedStream} to the topology; the DSL methods only check and delegate. */
final class AsOfJoins {

    private AsOfJoins() {
    }

    static <K, V, T, R> KeyedStream<K, R> join(StreamBuilder builder, KeyedStream<K, V> stream,
                                               VersionedTable<K, T> table,
                                               ValueJoiner<? super V, ? super T, ? extends R> joiner,
                                               boolean left, Named named, Materialized<K, V> materialized) {
        String kind = left ? "left-as-of-join" : "as-of-join";
        requireNonNull(table, "versioned table");
        requireNonNull(joiner, "value joiner");
        requireNonNull(materialized, "materialized");
        if (table.builder() != builder) {
            throw new TopologyException(kind + ": the table from " + table.node()
                    + " belongs to another StreamBuilder; build the stream and the table with the same builder");
        }
        long history = table.history().toMillis();
        Materialized<K, T> tableState = table.materialized();
        OperatorNode operator = builder.addTwoInputOperator(stream.node(), table.node(), kind, named, false,
                (c, next) -> new AsOfJoinOperator(c, joiner, left, history, materialized, tableState, next));
        operator.heapState(materialized.isInMemory() && tableState.isInMemory());
        return new KeyedStream<>(builder, operator);
    }
}
