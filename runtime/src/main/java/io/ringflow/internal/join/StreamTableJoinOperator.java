package io.ringflow.internal.join;

import io.ringflow.Materialized;
import io.ringflow.function.MapFunction;
import io.ringflow.function.ValueJoiner;
import io.ringflow.internal.operator.Operator;
import io.ringflow.internal.operator.OperatorContext;
import io.ringflow.internal.operator.Output;
import io.ringflow.internal.operator.PartitionedState;
import io.ringflow.internal.operator.TwoInputOperator;
import io.ringflow.state.KeyValueStore;
import java.nio.file.Path;

/**
 * A keyed stream joined with a table ({@code stream.join(table, joiner)}, {@code leftJoin}), as
 * Kafka Streams' KStream-KTable join: the table's changelog (input 1) keeps the latest value per
 * key in this operator's store, a {@code null} value deleting it, and emits nothing; each stream
 * record (input 0) is joined with its key's value at the moment it is processed. A record with
 * no value is dropped by the inner join and joined with {@code null} by the left join.
 *
 * <p>One store per state partition, named after the operator, like an aggregate's: it is in
 * every checkpoint and moves with its partition. Per record: one store read (stream) or one
 * write (table), no allocation here.
 */
public final class StreamTableJoinOperator extends TwoInputOperator {

    private final ValueJoiner<Object, Object, Object> joiner;
    /** Turns a changelog record into the table's value; {@code null}: the record is the value. */
    private final MapFunction<Object, Object> tableValue;
    private final boolean left;
    private final Materialized<?, ?> materialized;
    private final Output next;
    private PartitionedState<KeyValueStore<Object, Object>> tables;

    @SuppressWarnings("unchecked")
    public StreamTableJoinOperator(OperatorContext context, ValueJoiner<?, ?, ?> joiner, MapFunction<?, ?> tableValue,
                                   boolean left, Materialized<?, ?> materialized, Output next) {
        super(context);
        this.joiner = (ValueJoiner<Object, Object, Object>) joiner;
        this.tableValue = (MapFunction<Object, Object>) tableValue;
        this.left = left;
        this.materialized = materialized;
        this.next = next;
    }

    @Override
    public void open() {
        tables = new PartitionedState<>(partition -> context.keyValueStore(materialized, null, partition));
    }

    /** A stream record: joined with the table's current value of its key. */
    @Override
    protected void process(Object key, Object value, long timestamp) {
        Object result;
        try {
            Object current = tables.get(context.clock().partition).get(key);
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

    /** A changelog record: counted as {@link Operator#push} counts a stream record, and stored. */
    @Override
    protected void processSecond(Object key, Object record, long timestamp) {
        Object value;
        try {
            value = tableValue == null ? record : tableValue.apply(record);
        } catch (Exception e) {
            context.recordFailure(key, record, timestamp, e);
            return;
        }
        KeyValueStore<Object, Object> table = tables.get(context.clock().partition);
        if (value == null) {
            table.delete(key);
        } else {
            table.put(key, value);
        }
    }

    @Override
    public void endOfBatch() {
        tables.forEach((table, partition) -> table.endOfBatch());
    }

    @Override
    public void dropPartition(int partition) {
        tables.remove(partition);
        context.dropPartition(materialized, partition);
    }

    @Override
    public void adoptPartition(int partition, Path checkpoint) {
        tables.remove(partition);
        context.adoptPartition(materialized, partition, checkpoint);
    }

    @Override
    public void close() {
        if (tables != null) {
            tables.forEach((table, partition) -> table.close());
        }
    }
}
