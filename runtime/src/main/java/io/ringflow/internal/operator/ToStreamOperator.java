package io.ringflow.internal.operator;

import io.ringflow.KeyValue;

/** {@code toStream}: turns a keyed record into a {@link KeyValue} value. */
public final class ToStreamOperator extends Operator {

    private final Output next;

    public ToStreamOperator(OperatorContext context, Output next) {
        super(context);
        this.next = next;
    }

    @Override
    protected void process(Object key, Object value, long timestamp) {
        next.push(key, new KeyValue<>(key, value), timestamp);
    }
}
