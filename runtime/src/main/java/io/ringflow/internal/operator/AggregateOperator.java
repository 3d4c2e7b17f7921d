package io.ringflow.internal.operator;

import io.ringflow.function.Aggregator;
import io.ringflow.function.Initializer;
import io.ringflow.function.Reducer;
import io.ringflow.state.KeyValueStore;

/**
 * Keyed {@code reduce}, {@code aggregate} and {@code count}: folds each record into its key's
 * running result, stores it, and emits the new result (one output per input, like a Kafka
 * Streams KTable's update stream). One state lookup and one write per record.
 */
public final class AggregateOperator extends Operator {

    private final Initializer<Object> initializer;
    private final Aggregator<Object, Object, Object> aggregator;
    private final Output next;
    private KeyValueStore<Object, Object> store;

    @SuppressWarnings("unchecked")
    private AggregateOperator(OperatorContext context, Initializer<?> initializer,
                              Aggregator<?, ?, ?> aggregator, Output next) {
        super(context);
        this.initializer = (Initializer<Object>) initializer;
        this.aggregator = (Aggregator<Object, Object, Object>) aggregator;
        this.next = next;
    }

    public static AggregateOperator aggregate(OperatorContext context, Initializer<?> initializer,
                                              Aggregator<?, ?, ?> aggregator, Output next) {
        return new AggregateOperator(context, initializer, aggregator, next);
    }

    /** The first value of a key is its result; later values are reduced into it. */
    @SuppressWarnings("unchecked")
    public static AggregateOperator reduce(OperatorContext context, Reducer<?> reducer, Output next) {
        Reducer<Object> r = (Reducer<Object>) reducer;
        return new AggregateOperator(context, () -> null,
                (key, value, aggregate) -> aggregate == null ? value : r.apply(aggregate, value), next);
    }

    public static AggregateOperator count(OperatorContext context, Output next) {
        return new AggregateOperator(context, () -> 0L,
                (key, value, count) -> (Long) count + 1L, next);
    }

    @Override
    public void open() {
        store = context.keyValueStore();
    }

    @Override
    public void push(Object key, Object value, long timestamp) {
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
    public void close() {
        if (store != null) {
            store.close();
        }
    }
}
