package io.ringflow;

import io.ringflow.function.Collector;
import io.ringflow.function.KeyedProcessFunction;
import io.ringflow.function.ValueState;
import io.ringflow.watermark.WatermarkStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The stale-quote alarm the timer tests run: quotes "SYMBOL@time"; each quote moves its symbol's
 * alarm to {@code time + TIMEOUT} (deleting the one before), and an alarm that fires, because
 * no quote came in time, emits "SYMBOL stale at T, last quote L" and forgets the symbol.
 */
final class StaleQuotes implements KeyedProcessFunction<String, String, String> {

    static final long TIMEOUT = 100;

    static String symbol(String quote) {
        return quote.substring(0, quote.indexOf('@'));
    }

    static long time(String quote) {
        return Long.parseLong(quote.substring(quote.indexOf('@') + 1));
    }

    /** Event time from the quote, the watermark at the latest quote seen. */
    static WatermarkStrategy<String> eventTime() {
        return WatermarkStrategy.<String>forBoundedOutOfOrderness(Duration.ZERO)
                .withTimestampExtractor((quote, sourceTime) -> time(quote));
    }

    @Override
    public void process(String quote, Context<String> ctx, Collector<String> out) {
        ValueState<Long> last = ctx.state();
        Long before = last.value();
        if (before != null) {
            ctx.timers().deleteEventTimeTimer(before + TIMEOUT);
        }
        ctx.timers().registerEventTimeTimer(ctx.timestamp() + TIMEOUT);
        last.update(ctx.timestamp());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext<String> ctx, Collector<String> out) {
        ValueState<Long> last = ctx.state();
        out.collect(ctx.key() + " stale at " + timestamp + ", last quote " + last.value());
        last.clear();
    }

    /**
     * {@code count} quotes 10 ms apart, over {@code symbols} symbols picked at random (seeded),
     * now and then one falling silent for three to seven timeouts: alarms fire all along, and
     * many are deleted by the next quote just before they would.
     */
    static List<String> quotes(int count, int symbols, long seed) {
        Random random = new Random(seed);
        long[] silentUntil = new long[symbols];
        List<String> quotes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long time = i * 10L;
            int s;
            do {
                s = random.nextInt(symbols);
            } while (silentUntil[s] > time && anyAwake(silentUntil, time));
            if (random.nextInt(40) == 0) {
                silentUntil[s] = time + TIMEOUT * (3 + random.nextInt(5));
            }
            quotes.add("S" + s + "@" + time);
        }
        return quotes;
    }

    private static boolean anyAwake(long[] silentUntil, long time) {
        for (long until : silentUntil) {
            if (until <= time) {
                return true;
            }
        }
        return false;
    }
}
