package io.ringflow.internal.join;

import io.ringflow.Materialized;
import io.ringflow.function.KeySelector;
import io.ringflow.function.MapFunction;
import io.ringflow.function.ValueJoiner;
import io.ringflow.internal.operator.Operator;
import io.ringflow.internal.operator.OperatorContext;
import io.ringflow.internal.operator.Output;
import io.ringflow.internal.operator.TwoInputOperator;
import io.ringflow.state.KeyValueStore;
import java.nio.file.Path;

/**
 * A stream joined with a global table ({@code stream.join(globalTable, keyOf, joiner)}): the
 * table's records (input 1) arrive on a broadcast edge, so every shard keeps the whole table in
 * one store; each stream record (input 0) stays on its shard and is joined with the value of
 * the key {@code keyOf} takes from it, as that shard's table holds it when the record is
 * processed. The stream's own key, if any, is kept.
 *
 * <p>The store is not keyed state of a state partition: it is named after the operator alone
 * (as partition 0's would be), and this operator ignores partition drops and adoptions, so a
 * rebalance of the stream's partitions neither deletes nor replaces it. It is in every
 * checkpoint like any store. Per record: the key selector and one store read (stream), or the
 * key selector, the value mapper and one write (table).
 */
public final class GlobalTableJoinOperator extends TwoInputOperator {

    private final ValueJoiner<Object, Object, Object> joiner;
    private final KeySelector<Object, Object> keyOf;
    private final KeySelector<Object, Object> tableKey;
    private final MapFunction<Object, Object> tableValue;
    private final boolean left;
    private final Materialized<?, ?> materialized;
    private final Output next;
    private KeyValueStore<Object, Object> table;

    @SuppressWarnings("unchecked")
    public GlobalTableJoinOperator(OperatorContext context, ValueJoiner<?, ?, ?> joiner, KeySelector<?, ?> keyOf,
                                   KeySelector<?, ?> tableKey, MapFunction<?, ?> tableValue, boolean left,
                                   Materialized<?, ?> materialized, Output next) {
        super(context);
        this.joiner = (ValueJoiner<Object, Object, Object>) joiner;
        this.keyOf = (KeySelector<Object, Object>) keyOf;
        this.tableKey = (KeySelector<Object, Object>) tableKey;
        this.tableValue = (MapFunction<Object, Object>) tableValue;
        this.left = left;
        this.materialized = materialized;
        this.next = next;
    }

    @Override
    public void open() {
        table = context.keyValueStore(materialized, null, 0);
    }

    /** A stream record: a {@code null} table key finds no value, as a key the table does not hold. */
    @Override
    protected void process(Object key, Object value, long timestamp) {
        Object result;
        try {
            Object lookup = keyOf.getKey(value);
            Object current = lookup == null ? null : table.get(lookup);
            if (current == null && !left) {
                return;
            }
            result = joiner.apply(value, current);
        } catch (Exception e) {
            context.recordFailure(key, value, timestamp, e);
            return;
        }
        next.push(key, result, timestamp);
    }

    /** A table record, on every shard: counted as {@link Operator#push} counts a stream record, and stored. */
    @Override
    protected void processSecond(Object key, Object record, long timestamp) {
        Object recordKey;
        Object value;
        try {
            recordKey = tableKey.getKey(record);
            if (recordKey == null) {
                throw new IllegalArgumentException("global table of " + context.kind() + " '" + context.name()
                        + "': the key selector returned a null key; return a key for every table record,"
                        + " or filter such records out of the table's source");
            }
            value = tableValue.apply(record);
        } catch (Exception e) {
            context.recordFailure(key, record, timestamp, e);
            return;
        }
        if (value == null) {
            table.delete(recordKey);
        } else {
            table.put(recordKey, value);
        }
    }

    @Override
    public void endOfBatch() {
        table.endOfBatch();
    }

    /** Nothing: the whole table is on every shard of every instance, whichever partitions it owns. */
    @Override
    public void dropPartition(int partition) {
    }

    /** Nothing: a partition's state brings no part of a global table (see {@link #dropPartition}). */
    @Override
    public void adoptPartition(int partition, Path checkpoint) {
    }

    @Override
    public void close() {
        if (table != null) {
            table.close();
        }
    }
}
