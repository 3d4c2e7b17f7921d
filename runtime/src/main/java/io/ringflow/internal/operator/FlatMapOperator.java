package io.ringflow.internal.operator;

import io.ringflow.function.FlatMapFunction;
import java.util.Iterator;

/** {@code flatMap}: zero or more values out per value in, key unchanged. */
public final class FlatMapOperator extends Operator {

    private final FlatMapFunction<Object, ?> function;
    private final Output next;

    @SuppressWarnings("unchecked")
    public FlatMapOperator(OperatorContext context, FlatMapFunction<?, ?> function, Output next) {
        super(context);
        this.function = (FlatMapFunction<Object, ?>) function;
        this.next = next;
    }

    @Override
    protected void process(Object key, Object value, long timestamp) {
        Iterator<?> results;
        try {
            Iterable<?> iterable = function.apply(value);
            if (iterable == null) {
                return;
            }
            results = iterable.iterator();
        } catch (Exception e) {
            context.recordFailure(key, value, timestamp, e);
            return;
        }
        // The iterable may be lazy user code: only hasNext/next are the user's to fail,
        // failures downstream belong to the operators that raised them.
        while (true) {
            Object result;
            try {
                if (!results.hasNext()) {
                    return;
                }
                result = results.next();
            } catch (RuntimeException e) {
                context.recordFailure(key, value, timestamp, e);
                return;
            }
            next.push(key, result, timestamp);
        }
    }
}
