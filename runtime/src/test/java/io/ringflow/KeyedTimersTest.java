package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.error.ErrorHandler;
import io.ringflow.error.FailedRecord;
import io.ringflow.function.Collector;
import io.ringflow.function.KeyedProcessFunction;
import io.ringflow.function.TimeDomain;
import io.ringflow.function.ValueState;
import io.ringflow.testing.TestInput;
import io.ringflow.testing.TestRecord;
import io.ringflow.testing.TopologyTestDriver;
import io.ringflow.watermark.WatermarkStrategy;
import io.ringflow.windowing.TumblingWindows;
import io.ringflow.windowing.Windowed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Timers of a keyed {@code process} through the test driver, with exact outputs: event-time
 * timers fire on the watermark in timestamp order, once per (key, timestamp), not when deleted;
 * {@code onTimer} reads and writes the key's state and registers again; processing-time timers
 * fire on the driver's clock; what a timer emits is not late downstream.
 */
class KeyedTimersTest {

    /** Events "key@time[:command]": the event time is in the value; the watermark is the largest time seen. */
    private static WatermarkStrategy<String> eventTime() {
        return WatermarkStrategy.<String>forBoundedOutOfOrderness(Duration.ZERO)
                .withTimestampExtractor((event, sourceTime) -> Long.parseLong(event.split("[@:]")[1]));
    }

    private static String key(String event) {
        return event.split("@")[0];
    }

    /** The command after ':' in an event, "" if none. */
    private static String command(String event) {
        int colon = event.indexOf(':');
        return colon < 0 ? "" : event.substring(colon + 1);
    }

    private static Topology topology(KeyedProcessFunction<String, String, String> function) {
        StreamBuilder builder = new StreamBuilder("timers");
        builder.source("events", CollectionSource.of("x@0"), eventTime())
                .keyBy(KeyedTimersTest::key)
                .process(function, Named.as("process"))
                .to(new CollectingSink<>(), Named.as("out"));
        return builder.build();
    }

    /** Each output as "key:value@timestamp". */
    private static List<String> outputs(TopologyTestDriver driver) {
        List<String> out = new ArrayList<>();
        for (TestRecord<KeyValue<String, String>> record : driver.<KeyValue<String, String>>output("out")
                .readRecordsToList()) {
            out.add(record.value().key() + ":" + record.value().value() + "@" + record.timestamp());
        }
        return out;
    }

    /**
     * Registers the event-time timers the command lists ("r10,r20": at 10 and 20; "d10": deletes
     * the one at 10); on a timer, emits what fired and the watermark that fired it.
     */
    private static class Commands implements KeyedProcessFunction<String, String, String> {
        @Override
        public void process(String event, Context<String> ctx, Collector<String> out) {
            for (String c : command(event).split(",")) {
                if (c.startsWith("r")) {
                    ctx.timers().registerEventTimeTimer(Long.parseLong(c.substring(1)));
                } else if (c.startsWith("d")) {
                    ctx.timers().deleteEventTimeTimer(Long.parseLong(c.substring(1)));
                } else if (c.startsWith("p")) {
                    ctx.timers().registerProcessingTimeTimer(Long.parseLong(c.substring(1)));
                } else if (c.startsWith("q")) {
                    ctx.timers().deleteProcessingTimeTimer(Long.parseLong(c.substring(1)));
                }
            }
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext<String> ctx, Collector<String> out) {
            out.collect(ctx.timeDomain() + " " + timestamp + " wm=" + ctx.timers().currentWatermark()
                    + " ts=" + ctx.timestamp());
        }
    }

    @Test
    void eventTimersFireInTimestampOrderThenByKeyOncePerKeyAndTimestamp() {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(new Commands()))) {
            driver.<String>input("events")
                    .pipe("c@1:r10")
                    .pipe("a@2:r30,r10")     // out of order
                    .pipe("b@3:r20,r20")     // twice: one timer
                    .pipe("b@4:r20");        // and again, on a later record
            assertEquals(List.of(), outputs(driver));
            driver.advanceWatermark(9);
            assertEquals(List.of(), outputs(driver), "nothing is due before 10");
            driver.advanceWatermark(10);
            assertEquals(List.of("a:EVENT_TIME 10 wm=10 ts=10@10", "c:EVENT_TIME 10 wm=10 ts=10@10"), outputs(driver),
                    "due when the watermark reaches it; a tie goes by key bytes; the output has the timer's timestamp");
            driver.advanceWatermark(25);
            assertEquals(List.of("b:EVENT_TIME 20 wm=25 ts=20@20"), outputs(driver), "once, though registered three times");
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of("a:EVENT_TIME 30 wm=" + Long.MAX_VALUE + " ts=30@30"), outputs(driver));
        }
    }

    @Test
    void aRecordsWatermarkFiresTimersAfterTheRecordIsProcessed() {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(new Commands()))) {
            driver.<String>input("events")
                    .pipe("a@1:r5,r7")
                    .pipe("a@6:d7")   // its watermark (6) fires a@5; the record deleted a@7 first
                    .pipe("b@8");     // watermark 8: a@7 is gone
            assertEquals(List.of("a:EVENT_TIME 5 wm=6 ts=5@5"), outputs(driver));
        }
    }

    @Test
    void aDeletedTimerDoesNotFireAndDeletingNothingIsHarmless() {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(new Commands()))) {
            driver.<String>input("events")
                    .pipe("a@1:r10,r20")
                    .pipe("a@2:d10,d99")
                    .pipe("b@3:d20");   // another key's timer at 20 is not b's
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of("a:EVENT_TIME 20 wm=" + Long.MAX_VALUE + " ts=20@20"), outputs(driver));
        }
    }

    /** Counts records per key; a timer every 10 ms emits the count and a running total kept in the state. */
    private static final class Periodic implements KeyedProcessFunction<String, String, String> {
        @Override
        public void process(String event, Context<String> ctx, Collector<String> out) {
            ValueState<Long> count = ctx.state();
            long n = count.value() == null ? 0 : count.value();
            if (n == 0) {
                ctx.timers().registerEventTimeTimer((ctx.timestamp() / 10 + 1) * 10);
            }
            count.update(n + 1);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext<String> ctx, Collector<String> out) {
            ValueState<Long> count = ctx.state();
            out.collect(ctx.key() + " had " + count.value() + " at " + timestamp);
            count.update(count.value() + 100);
            if (timestamp < 40) {
                ctx.timers().registerEventTimeTimer(timestamp + 10);
            }
        }
    }

    @Test
    void onTimerReadsAndWritesTheKeysStateAndRegistersAgainWithinTheSameAdvance() {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(new Periodic()))) {
            driver.<String>input("events").pipe("a@3").pipe("a@4").pipe("b@5");
            driver.advanceWatermark(35); // fires 10, 20 and 30 in one advance: each registered by the one before
            assertEquals(List.of("a:a had 2 at 10@10", "b:b had 1 at 10@10", "a:a had 102 at 20@20",
                    "b:b had 101 at 20@20", "a:a had 202 at 30@30", "b:b had 201 at 30@30"), outputs(driver));
            driver.<String>input("events").pipe("a@36");
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of("a:a had 303 at 40@40", "b:b had 301 at 40@40"), outputs(driver),
                    "the record between the timers counted; at 40 no timer is registered again");
        }
    }

    @Test
    void processingTimeTimersFireOnTheDriversClock() {
        KeyedProcessFunction<String, String, String> inAWhile = new Commands() {
            @Override
            public void process(String event, Context<String> ctx, Collector<String> out) {
                if (command(event).isEmpty()) {
                    ctx.timers().registerProcessingTimeTimer(ctx.timers().currentProcessingTime() + 100);
                } else {
                    super.process(event, ctx, out);
                }
            }
        };
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(inAWhile))) {
            driver.<String>input("events").pipe("a@1").pipe("b@2:p150,p120,q120");
            driver.advanceProcessingTime(Duration.ofMillis(99));
            assertEquals(List.of(), outputs(driver));
            driver.<String>input("events").pipe("c@3"); // at 99: due at 199
            driver.advanceProcessingTime(Duration.ofMillis(1));
            assertEquals(List.of("a:PROCESSING_TIME 100 wm=3 ts=100@100"), outputs(driver));
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of(), outputs(driver), "the watermark fires no processing-time timer");
            driver.advanceProcessingTime(Duration.ofMillis(100));
            assertEquals(List.of("b:PROCESSING_TIME 150 wm=" + Long.MAX_VALUE + " ts=150@150",
                    "c:PROCESSING_TIME 199 wm=" + Long.MAX_VALUE + " ts=199@199"), outputs(driver));
            driver.<String>input("events").pipe("d@4:p5"); // in the past: fires on the next advance, even by zero
            driver.advanceProcessingTime(Duration.ZERO);
            assertEquals(List.of("d:PROCESSING_TIME 5 wm=" + Long.MAX_VALUE + " ts=5@5"), outputs(driver));
        }
    }

    @Test
    void aLateRecordsTimerAtOrBeforeTheWatermarkFiresOnTheNextAdvance() {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(new Commands()))) {
            driver.<String>input("events").pipe("a@50");
            driver.<String>input("events").pipe("b@20:r20,r50,r51"); // late: timestamp and two timers not after 50
            assertEquals(List.of(), outputs(driver), "registering does not fire");
            driver.advanceWatermark(50);
            assertEquals(List.of(), outputs(driver), "a watermark that does not advance fires nothing");
            driver.advanceWatermark(51);
            assertEquals(List.of("b:EVENT_TIME 20 wm=51 ts=20@20", "b:EVENT_TIME 50 wm=51 ts=50@50",
                    "b:EVENT_TIME 51 wm=51 ts=51@51"), outputs(driver));
        }
    }

    /** A downstream window counts what a timer emits, even when one advance fires the timer and closes the window. */
    @Test
    void whatATimerEmitsIsNotLateForTheWindowTheSameAdvanceCloses() {
        StreamBuilder builder = new StreamBuilder("timer-then-window");
        builder.source("events", CollectionSource.of("x@0"), eventTime())
                .keyBy(KeyedTimersTest::key)
                .process(new Commands(), Named.as("process"))
                .keyBy(value -> "all")
                .window(TumblingWindows.of(Duration.ofMillis(1_000)))
                .count(Named.as("counts"))
                .to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("events").pipe("a@500:r999").pipe("b@600:r999,r1500");
            driver.advanceWatermark(5_000);
            List<String> counts = new ArrayList<>();
            for (KeyValue<Windowed<String>, Long> kv : driver.<KeyValue<Windowed<String>, Long>>output("out")
                    .readValuesToList()) {
                counts.add(kv.key() + "=" + kv.value());
            }
            assertEquals(List.of("all@[0, 1000)=2", "all@[1000, 2000)=1"), counts);
            assertEquals(0, driver.lateRecords("counts"));
        }
    }

    @Test
    void aFailingOnTimerGoesToTheErrorHandlerAndTheTimerIsGone() {
        List<FailedRecord> failed = new ArrayList<>();
        KeyedProcessFunction<String, String, String> failing = new Commands() {
            @Override
            public void onTimer(long timestamp, OnTimerContext<String> ctx, Collector<String> out) {
                if (ctx.key().equals("bad")) {
                    throw new IllegalStateException("no");
                }
                super.onTimer(timestamp, ctx, out);
            }
        };
        PipelineConfig config = PipelineConfig.defaults()
                .withErrorHandler(ErrorHandler.deadLetter((record, ts) -> failed.add(record)));
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(failing), config)) {
            driver.<String>input("events").pipe("bad@1:r10").pipe("ok@2:r10");
            driver.advanceWatermark(10);
            assertEquals(List.of("ok:EVENT_TIME 10 wm=10 ts=10@10"), outputs(driver));
            assertEquals(1, failed.size());
            assertEquals("process 'process' (shard 0) failed on record key=bad, value=onTimer(EVENT_TIME), timestamp=10:"
                    + " java.lang.IllegalStateException: no", failed.get(0).describe());
            driver.advanceWatermark(20);
            assertEquals(1, failed.size(), "the failed timer does not fire again");
        }
    }

    /** The heap keeps no fired timer: the store's entry gauge reads what is left, and 0 at the end. */
    @Test
    void timersOfTenThousandKeysFireAndLeaveNothingStored() {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(new Commands()))) {
            TestInput<String> input = driver.input("events");
            for (int i = 0; i < 10_000; i++) {
                input.pipe("k" + i + "@1:r" + (100 + i % 50));
            }
            driver.advanceWatermark(124);
            assertEquals(5_000, outputs(driver).size());
            assertEquals(5_000, timersStored(driver), "the timers not yet due");
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(5_000, outputs(driver).size());
            assertEquals(0, timersStored(driver));
        }
    }

    private static double timersStored(TopologyTestDriver driver) {
        return driver.meterRegistry().get("ringflow.state.entries").tag("store", "process.event-timers").gauge().value();
    }

    record Quote(String symbol, long time) {
    }

    /** README's stale-quote alarm, as written there: it compiles and alarms only on a 5 s silence. */
    @Test
    void theReadmeStaleQuoteAlarm() {
        StreamBuilder builder = new StreamBuilder("readme");
        builder.source("quotes", CollectionSource.of(new Quote("X", 0)), WatermarkStrategy.<Quote>forBoundedOutOfOrderness(
                        Duration.ZERO).withTimestampExtractor((quote, sourceTime) -> quote.time()))
                .keyBy(Quote::symbol)
                .process(new KeyedProcessFunction<String, Quote, String>() {
                    public void process(Quote q, Context<String> ctx, Collector<String> out) {
                        ValueState<Long> last = ctx.state();
                        if (last.value() != null) ctx.timers().deleteEventTimeTimer(last.value() + 5_000);
                        ctx.timers().registerEventTimeTimer(ctx.timestamp() + 5_000);
                        last.update(ctx.timestamp());
                    }
                    public void onTimer(long ts, OnTimerContext<String> ctx, Collector<String> out) {
                        out.collect(ctx.key() + " stale since " + ctx.<Long>state().value());  // emitted at ts
                        ctx.state().clear();
                    }
                }, Named.as("stale"))
                .to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<Quote>input("quotes").pipe(new Quote("A", 0)).pipe(new Quote("B", 1_000)).pipe(new Quote("A", 4_000))
                    .pipe(new Quote("B", 7_000)).pipe(new Quote("C", 9_500));
            assertEquals(List.of("A:A stale since 4000@9000"), outputs(driver), "B's quote at 7000 came in time");
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of("B:B stale since 7000@12000", "C:C stale since 9500@14500"), outputs(driver));
        }
    }

    @Test
    void theTimeDomainTellsWhichClockFired() {
        List<TimeDomain> domains = new ArrayList<>();
        KeyedProcessFunction<String, String, String> recording = new Commands() {
            @Override
            public void onTimer(long timestamp, OnTimerContext<String> ctx, Collector<String> out) {
                domains.add(ctx.timeDomain());
            }
        };
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(recording))) {
            driver.<String>input("events").pipe("a@1:r5,p5");
            driver.advanceWatermark(5);
            driver.advanceProcessingTime(Duration.ofMillis(5));
            assertEquals(List.of(TimeDomain.EVENT_TIME, TimeDomain.PROCESSING_TIME), domains);
        }
    }

    @Test
    void aLambdaRegistersTimersAndTheDefaultOnTimerEmitsNothing() {
        StreamBuilder builder = new StreamBuilder("lambda");
        builder.source("events", CollectionSource.of("x@0"), eventTime())
                .keyBy(KeyedTimersTest::key)
                .<String>process((event, ctx, out) -> ctx.timers().registerEventTimeTimer(5), Named.as("process"))
                .to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("events").pipe("a@1");
            driver.advanceWatermark(10);
            assertEquals(List.of(), outputs(driver), "the default onTimer emits nothing");
        }
    }
}
