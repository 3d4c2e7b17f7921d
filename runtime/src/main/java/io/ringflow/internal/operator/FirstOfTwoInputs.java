package io.ringflow.internal.operator;

import io.ringflow.function.Collector;
import io.ringflow.function.KeyedCoProcessFunction;
import io.ringflow.function.KeyedProcessFunction;

/** The first input of a two-input process, and its timers, as the one-input function the operator runs. */
record FirstOfTwoInputs(KeyedCoProcessFunction<Object, Object, Object, Object> function)
        implements KeyedProcessFunction<Object, Object, Object> {
    @Override
    public void process(Object value, Context<Object> ctx, Collector<Object> out) throws Exception {
        function.processElement1(value, ctx, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext<Object> ctx, Collector<Object> out) throws Exception {
        function.onTimer(timestamp, ctx, out);
    }
}
