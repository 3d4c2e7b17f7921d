package io.ringflow.internal.operator;

import io.ringflow.function.Aggregator;
import io.ringflow.function.Initializer;
import io.ringflow.function.Reducer;
import io.ringflow.Materialized;
import io.ringflow.state.KeyValueStore;
import io.ringflow.state.Serde;
import io.ringflow.state.Serdes;
import java.nio.file.Path;

/**
 * Keyed {@code reduce}, {@code aggregate} and {@code count}: folds each record into its key's
 * running result, stores it, and emits the new result (one output per input, like a Kafka
 * Streams KTable's update stream). One state lookup and one write per record.
 */
public final class AggregateOperator extends Operator {

    private final Initializer<Object> initializer;
    private final Aggregator<Object, Object, Object> aggregator;
    private final Output next;
    private final Materialized<?, ?> materialized;
    private final Serde<?> defaultValueSerde;
    /** The store of each state partition this shard has seen. */
    private PartitionedState<KeyValueStore<Object, Object>> stores;

    @SuppressWarnings("unchecked")
    private AggregateOperator(OperatorContext context, Initializer<?> initializer, Aggregator<?, ?, ?> aggregator,
                              Materialized<?, ?> materialized, Serde<?> defaultValueSerde, Output next) {
        super(context);
        this.initializer = (Initializer<Object>) initializer;
        this.aggregator = (Aggregator<Object, Object, Object>) aggregator;
        this.materialized = materialized;
        this.defaultValueSerde = defaultValueSerde;
        this.next = next;
    }

    public static AggregateOperator aggregate(OperatorContext context, Initializer<?> initializer,
                                              Aggregator<?, ?, ?> aggregator, Materialized<?, ?> materialized,
                                              Output next) {
        return new AggregateOperator(context, initializer, aggregator, materialized, null, next);
    }

    /** The first value of a key is its result; later values are reduced into it. */
    @SuppressWarnings("unchecked")
    public static AggregateOperator reduce(OperatorContext context, Reducer<?> reducer,
                                           Materialized<?, ?> materialized, Output next) {
        Reducer<Object> r = (Reducer<Object>) reducer;
        return new AggregateOperator(context, () -> null,
                (key, value, aggregate) -> aggregate == null ? value : r.apply(aggregate, value),
                materialized, null, next);
    }

    public static AggregateOperator count(OperatorContext context, Materialized<?, ?> materialized, Output next) {
        return new AggregateOperator(context, () -> 0L,
                (key, value, count) -> (Long) count + 1L, materialized, Serdes.longs(), next);
    }

    @Override
    public void open() {
        stores = new PartitionedState<>(partition -> context.keyValueStore(materialized, defaultValueSerde, partition));
    }

    @Override
    protected void process(Object key, Object value, long timestamp) {
        KeyValueStore<Object, Object> store = stores.get(context.clock().partition);
        Object result;
        try {
            Object aggregate = store.get(key);
            if (aggregate == null) {
                aggregate = initializer.apply();
            }
            result = aggregator.apply(key, value, aggregate);
            if (result == null) {
                throw new IllegalStateException(context.kind() + " '" + context.name()
                        + "' produced a null result for key " + key
                        + "; return a value, or filter such records out before it");
            }
        } catch (Exception e) {
            context.recordFailure(key, value, timestamp, e);
            return;
        }
        store.put(key, result);
        next.push(key, result, timestamp);
    }

    @Override
    public void endOfBatch() {
        stores.forEach((store, partition) -> store.endOfBatch());
    }

    @Override
    public void dropPartition(int partition) {
        stores.remove(partition);
        context.dropPartition(materialized, partition);
    }

    @Override
    public void adoptPartition(int partition, Path checkpoint) {
        stores.remove(partition);
        context.adoptPartition(materialized, partition, checkpoint);
    }

    @Override
    public void close() {
        if (stores != null) {
            stores.forEach((store, partition) -> store.close());
        }
    }
}
