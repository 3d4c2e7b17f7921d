package io.ringflow.internal.operator;

import io.ringflow.internal.metrics.ShardCounter;

/** Counts the records pushed through it (into an operator, or out of one), then passes them on. */
public final class CountingOutput implements Output {

    private final Output target;
    private final ShardCounter counter;

    public CountingOutput(Output target, ShardCounter counter) {
        this.target = target;
        this.counter = counter;
    }

    @Override
    public void push(Object key, Object value, long timestamp) {
        counter.increment();
        target.push(key, value, timestamp);
    }
}
