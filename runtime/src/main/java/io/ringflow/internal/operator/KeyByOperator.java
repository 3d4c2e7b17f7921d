package io.ringflow.internal.operator;

import io.ringflow.function.KeySelector;
import io.ringflow.internal.metrics.ShardCounter;

/** {@code keyBy}: computes the key and sends the record across to the shard that owns it. */
public final class KeyByOperator extends Operator {

    private final KeySelector<Object, Object> selector;
    private final Exchange exchange;
    private final ShardCounter recordsOut;

    public KeyByOperator(OperatorContext context, KeySelector<Object, Object> selector, Exchange exchange) {
        super(context);
        this.selector = selector;
        this.exchange = exchange;
        this.recordsOut = context.recordsOut();
    }

    @Override
    protected void process(Object key, Object value, long timestamp) {
        Object newKey;
        try {
            newKey = selector.getKey(value);
            if (newKey == null) {
                throw new IllegalArgumentException("keyBy '" + context.name() + "' returned a null key;"
                        + " every record needs a key to choose its shard: return a non-null key"
                        + " or filter such records out before keyBy");
            }
        } catch (Exception e) {
            context.recordFailure(key, value, timestamp, e);
            return;
        }
        recordsOut.increment();
        exchange.send(newKey, value, timestamp);
    }
}
