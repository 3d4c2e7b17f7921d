package io.ringflow.internal.operator;

import io.ringflow.function.KeySelector;
import io.ringflow.internal.metrics.ShardCounter;

/** {@code keyBy}: computes the key and sends the record across to the shard that owns it. */
public final class KeyByOperator extends Operator {

    private final KeySelector<Object, Object> selector;
    /** Usually one; one more per two-input operator that reads this key-by on its own edge. */
    private final Exchange[] exchanges;
    private final ShardCounter recordsOut;

    public KeyByOperator(OperatorContext context, KeySelector<Object, Object> selector, Exchange... exchanges) {
        super(context);
        this.selector = selector;
        this.exchanges = exchanges;
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
        for (Exchange exchange : exchanges) {
            exchange.send(newKey, value, timestamp);
        }
    }
}
