package io.ringflow.internal.operator;

import io.ringflow.function.MapFunction;

/** {@code map}: one value in, one value out, key unchanged. */
public final class MapOperator extends Operator {

    private final MapFunction<Object, Object> function;
    private final Output next;

    @SuppressWarnings("unchecked")
    public MapOperator(OperatorContext context, MapFunction<?, ?> function, Output next) {
        super(context);
        this.function = (MapFunction<Object, Object>) function;
        this.next = next;
    }

    @Override
    protected void process(Object key, Object value, long timestamp) {
        Object result;
        try {
            result = function.apply(value);
        } catch (Exception e) {
            context.recordFailure(key, value, timestamp, e);
            return;
        }
        next.push(key, result, timestamp);
    }
}
