package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectionSource;
import io.ringflow.collection.CollectingSink;
import io.ringflow.function.Collector;
import io.ringflow.function.KeyedProcessFunction;
import io.ringflow.function.MapState;
import io.ringflow.function.MapStateSpec;
import io.ringflow.function.Ttl;
import io.ringflow.testing.TestInput;
import io.ringflow.testing.TopologyTestDriver;
import io.ringflow.watermark.WatermarkStrategy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 18's bound for timers and TTL state: a keyed process that keeps every record of its key
 * for 10 s of event time (map state with an event-time TTL) and sets a timer 10 s after each
 * record holds, after any number of records, what 10 s of input put there, not the input: live
 * entries, their cleanup timers and the user's timers each equal the records of the last 10 s.
 * {@code -Dbound.records=1000000} is the run (10,000 keys, 1 ms apart); the default is
 * 200,000. Counted exactly, store by store, on the test driver's heap stores.
 */
class TimerAndTtlStateBoundTest {

    private static final long RETENTION_MILLIS = 10_000;

    /** Keeps each record for RETENTION_MILLIS and reminds itself then; a reminder says whether the record is still there. */
    private static final class RecentRecords implements KeyedProcessFunction<String, Long, Long> {
        private static final MapStateSpec<Long, Long> RECENT = MapStateSpec.of("recent", Long.class, Long.class)
                .withTtl(Ttl.eventTime(Duration.ofMillis(RETENTION_MILLIS)));

        @Override
        public void process(Long record, Context<String> ctx, Collector<Long> out) {
            ctx.mapState(RECENT).put(record, ctx.timestamp());
            ctx.timers().registerEventTimeTimer(ctx.timestamp() + RETENTION_MILLIS);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext<String> ctx, Collector<Long> out) {
            Long record = timestamp - RETENTION_MILLIS; // the record's number is its event time
            out.collect(ctx.mapState(RECENT).contains(record) ? 1L : 0L);
        }
    }

    @Test
    void stateAndTimersHoldTheLastTenSecondsOfInputNotTheInput() {
        int records = Integer.getInteger("bound.records", 200_000);
        int keys = 10_000;
        StreamBuilder builder = new StreamBuilder("bound");
        builder.source("in", CollectionSource.<Long>of(), WatermarkStrategy.<Long>forBoundedOutOfOrderness(Duration.ZERO)
                        .withTimestampExtractor((record, sourceTime) -> record))
                .keyBy(record -> "k" + record % keys)
                .process(new RecentRecords(), Named.as("recent"))
                .to(new CollectingSink<>(), Named.as("reminders"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            TestInput<Long> input = driver.input("in");
            for (long record = 0; record < records; record++) {
                input.pipe(record); // its event time is its number, in ms
            }
            long watermark = records - 1;
            // An entry written at t is gone once the watermark reaches t + retention: the last 10 s stay.
            long alive = Math.min(records, RETENTION_MILLIS);
            long entries = driver.storedEntries("recent.map.recent");
            long cleanupTimers = driver.storedEntries("recent.map.recent.ttl-event");
            long timers = driver.storedEntries("recent.event-timers");
            System.out.printf("after %,d records over %,d keys, watermark %,d: %,d map entries, %,d cleanup timers,"
                    + " %,d timers%n", records, keys, watermark, entries, cleanupTimers, timers);
            assertEquals(alive, entries, "live map entries");
            assertEquals(alive, cleanupTimers, "cleanup timers");
            assertEquals(alive, timers, "the function's timers");
            var reminders = driver.<KeyValue<String, Long>>output("reminders").readValuesToList();
            assertEquals(records - alive, reminders.size(), "one reminder per record older than the last 10 s");
            assertTrue(reminders.stream().allMatch(r -> r.value() == 0), "a record's reminder finds it expired");
        }
    }
}
