package io.ringflow.internal.operator;

import io.ringflow.function.PeekAction;

/** {@code peek}: runs an action on each record and passes it on unchanged. */
public final class PeekOperator extends Operator {

    private final PeekAction<Object> action;
    private final Output next;

    @SuppressWarnings("unchecked")
    public PeekOperator(OperatorContext context, PeekAction<?> action, Output next) {
        super(context);
        this.action = (PeekAction<Object>) action;
        this.next = next;
    }

    @Override
    protected void process(Object key, Object value, long timestamp) {
        try {
            action.accept(value);
        } catch (Exception e) {
            context.recordFailure(key, value, timestamp, e);
            return;
        }
        next.push(key, value, timestamp);
    }
}
