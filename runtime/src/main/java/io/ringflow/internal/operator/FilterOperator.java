package io.ringflow.internal.operator;

import io.ringflow.function.FilterFunction;

/** {@code filter}: passes the records the predicate accepts. */
public final class FilterOperator extends Operator {

    private final FilterFunction<Object> predicate;
    private final Output next;

    @SuppressWarnings("unchecked")
    public FilterOperator(OperatorContext context, FilterFunction<?> predicate, Output next) {
        super(context);
        this.predicate = (FilterFunction<Object>) predicate;
        this.next = next;
    }

    @Override
    protected void process(Object key, Object value, long timestamp) {
        boolean keep;
        try {
            keep = predicate.test(value);
        } catch (Exception e) {
            context.recordFailure(key, value, timestamp, e);
            return;
        }
        if (keep) {
            next.push(key, value, timestamp);
        }
    }
}
