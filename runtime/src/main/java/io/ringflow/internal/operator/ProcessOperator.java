package io.ringflow.internal.operator;

import io.ringflow.Materialized;
import io.ringflow.OutputTag;
import io.ringflow.error.RecordProcessingException;
import io.ringflow.function.Collector;
import io.ringflow.function.KeyedProcessFunction;
import io.ringflow.function.ProcessFunction;
import io.ringflow.function.ValueState;
import io.ringflow.internal.PipelineAbortedException;
import io.ringflow.state.KeyValueStore;
import java.nio.file.Path;

/**
 * {@code process}: runs a user function that emits through a collector. The operator is its
 * own context and collector, so a record costs no allocation here.
 */
public final class ProcessOperator extends Operator
        implements Collector<Object>, KeyedProcessFunction.Context<Object>, ValueState<Object> {

    private final KeyedProcessFunction<Object, Object, Object> function;
    private final Output next;
    /** From the context, as a window's late-record output is, so the factories take no new parameter. */
    private final SideOutputs sideOutputs = context.sideOutputs();
    /** How the keyed state is stored; {@code null} on an unkeyed stream, which has no keyed state. */
    private final Materialized<?, ?> materialized;
    /** The store of each state partition this shard has seen; {@code null} on an unkeyed stream. */
    private PartitionedState<KeyValueStore<Object, Object>> stores;
    /** The current record's partition's store. */
    private KeyValueStore<Object, Object> store;
    private Object currentKey;
    private long currentTimestamp;

    private ProcessOperator(OperatorContext context, KeyedProcessFunction<Object, Object, Object> function,
                            Materialized<?, ?> materialized, Output next) {
        super(context);
        this.function = function;
        this.materialized = materialized;
        this.next = next;
    }

    @SuppressWarnings("unchecked")
    public static ProcessOperator unkeyed(OperatorContext context, ProcessFunction<?, ?> function, Output next) {
        ProcessFunction<Object, Object> f = (ProcessFunction<Object, Object>) function;
        return new ProcessOperator(context, f::process, null, next);
    }

    @SuppressWarnings("unchecked")
    public static ProcessOperator keyed(OperatorContext context, KeyedProcessFunction<?, ?, ?> function,
                                        Materialized<?, ?> materialized, Output next) {
        return new ProcessOperator(context, (KeyedProcessFunction<Object, Object, Object>) function, materialized, next);
    }

    @Override
    public void open() {
        if (materialized != null) {
            stores = new PartitionedState<>(partition -> context.keyValueStore(materialized, null, partition));
        }
    }

    @Override
    public void endOfBatch() {
        if (stores != null) {
            stores.forEach((partitionStore, partition) -> partitionStore.endOfBatch());
        }
    }

    @Override
    public void dropPartition(int partition) {
        if (stores != null) {
            stores.remove(partition);
            context.dropPartition(materialized, partition);
        }
    }

    @Override
    public void adoptPartition(int partition, Path checkpoint) {
        if (stores != null) {
            stores.remove(partition);
            context.adoptPartition(materialized, partition, checkpoint);
        }
    }

    @Override
    public void close() {
        if (stores != null) {
            stores.forEach((partitionStore, partition) -> partitionStore.close());
        }
    }

    @Override
    protected void process(Object key, Object value, long timestamp) {
        currentKey = key;
        currentTimestamp = timestamp;
        if (stores != null) {
            store = stores.get(context.clock().partition);
        }
        try {
            function.process(value, this, this);
        } catch (RecordProcessingException | PipelineAbortedException fromDownstream) {
            // Already attributed to the operator that failed; it is not this function's failure.
            throw fromDownstream;
        } catch (Exception e) {
            context.recordFailure(key, value, timestamp, e);
        }
    }

    @Override
    public void collect(Object value) {
        next.push(currentKey, value, currentTimestamp);
    }

    @Override
    public void collect(Object value, long timestamp) {
        next.push(currentKey, value, timestamp);
    }

    @Override
    public <X> void output(OutputTag<X> tag, X value) {
        sideOutputs.push(tag, currentKey, value, currentTimestamp);
    }

    @Override
    public Object key() {
        return currentKey;
    }

    @Override
    public long timestamp() {
        return currentTimestamp;
    }

    @Override
    public int shard() {
        return context.shard();
    }

    @Override
    public long watermark() {
        return context.clock().watermark;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S> ValueState<S> state() {
        if (stores == null) {
            throw new IllegalStateException(context.kind() + " '" + context.name()
                    + "' runs on an unkeyed stream, which has no keyed state; keyBy(...) before process(...)");
        }
        return (ValueState<S>) this;
    }

    @Override
    public Object value() {
        return store.get(currentKey);
    }

    @Override
    public void update(Object value) {
        store.put(currentKey, value);
    }

    @Override
    public void clear() {
        store.delete(currentKey);
    }
}
