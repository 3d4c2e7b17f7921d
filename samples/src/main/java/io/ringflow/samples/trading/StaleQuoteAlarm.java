package io.ringflow.samples.trading;

import io.ringflow.function.Collector;
import io.ringflow.function.KeyedProcessFunction;
import io.ringflow.function.ValueState;

/**
 * Per symbol, an event-time timer {@code staleAfterMillis} after its latest quote: each new quote
 * moves the timer, so it fires only when a symbol has gone quiet that long in event time (a halt,
 * a dead feed). Out-of-order quotes older than the latest move nothing. Cost per quote: one state
 * read and write, one timer deleted and one registered (buffered writes, no allocation).
 */
final class StaleQuoteAlarm implements KeyedProcessFunction<String, Quote, StaleQuote> {

    private final long staleAfterMillis;

    StaleQuoteAlarm(long staleAfterMillis) {
        this.staleAfterMillis = staleAfterMillis;
    }

    @Override
    public void process(Quote quote, Context<String> ctx, Collector<StaleQuote> out) {
        ValueState<Long> latest = ctx.state();
        Long previous = latest.value();
        if (previous != null && previous >= quote.eventTime()) {
            return;
        }
        if (previous != null) {
            ctx.timers().deleteEventTimeTimer(previous + staleAfterMillis);
        }
        latest.update(quote.eventTime());
        ctx.timers().registerEventTimeTimer(quote.eventTime() + staleAfterMillis);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext<String> ctx, Collector<StaleQuote> out) {
        out.collect(new StaleQuote(ctx.key(), timestamp - staleAfterMillis, timestamp));
    }
}
