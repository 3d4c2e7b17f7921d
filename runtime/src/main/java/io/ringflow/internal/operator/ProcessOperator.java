package io.ringflow.internal.operator;

import io.ringflow.error.RecordProcessingException;
import io.ringflow.function.Collector;
import io.ringflow.function.KeyedProcessFunction;
import io.ringflow.function.ProcessFunction;
import io.ringflow.internal.PipelineAbortedException;

/**
 * {@code process}: runs a user function that emits through a collector. The operator is its
 * own context and collector, so a record costs no allocation here.
 */
public final class ProcessOperator extends Operator
        implements Collector<Object>, KeyedProcessFunction.Context<Object> {

    private final KeyedProcessFunction<Object, Object, Object> function;
    private final Output next;
    private Object currentKey;
    private long currentTimestamp;

    private ProcessOperator(OperatorContext context, KeyedProcessFunction<Object, Object, Object> function, Output next) {
        super(context);
        this.function = function;
        this.next = next;
    }

    @SuppressWarnings("unchecked")
    public static ProcessOperator unkeyed(OperatorContext context, ProcessFunction<?, ?> function, Output next) {
        ProcessFunction<Object, Object> f = (ProcessFunction<Object, Object>) function;
        return new ProcessOperator(context, f::process, next);
    }

    @SuppressWarnings("unchecked")
    public static ProcessOperator keyed(OperatorContext context, KeyedProcessFunction<?, ?, ?> function, Output next) {
        return new ProcessOperator(context, (KeyedProcessFunction<Object, Object, Object>) function, next);
    }

    @Override
    public void push(Object key, Object value, long timestamp) {
        currentKey = key;
        currentTimestamp = timestamp;
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
}
