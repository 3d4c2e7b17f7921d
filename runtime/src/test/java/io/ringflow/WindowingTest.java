package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.testing.TopologyTestDriver;
import io.ringflow.watermark.WatermarkStrategy;
import io.ringflow.windowing.EmitStrategy;
import io.ringflow.windowing.HoppingWindows;
import io.ringflow.windowing.SessionWindows;
import io.ringflow.windowing.TumblingWindows;
import io.ringflow.windowing.Windowed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Event-time windows through the DSL: scripted out-of-order input through the test driver
 * with exact results and late counts, and the threaded pipeline over several partitions and
 * shards.
 */
class WindowingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** An event "key@time" whose event time is in the value. */
    private static WatermarkStrategy<String> outOfOrder(long millis) {
        return WatermarkStrategy.<String>forBoundedOutOfOrderness(Duration.ofMillis(millis))
                .withTimestampExtractor((event, sourceTime) -> Long.parseLong(event.split("@")[1]));
    }

    private static String key(String event) {
        return event.split("@")[0];
    }

    private static List<String> results(TopologyTestDriver driver) {
        List<String> out = new ArrayList<>();
        for (KeyValue<Windowed<String>, Object> kv : driver.<KeyValue<Windowed<String>, Object>>output("out")
                .readValuesToList()) {
            out.add(kv.key() + "=" + kv.value());
        }
        return out;
    }

    @Test
    void tumblingCountsEmitOnWindowCloseAndLateRecordsAreCountedAndSidelined() {
        StreamBuilder builder = new StreamBuilder("tumbling");
        builder.source("events", CollectionSource.of("x@0"), outOfOrder(5))
                .keyBy(WindowingTest::key)
                .window(TumblingWindows.of(Duration.ofMillis(10)))
                .lateRecords(new CollectingSink<>(), Named.as("late"))
                .count(Named.as("counts"))
                .to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("events")
                    .pipe("a@1").pipe("b@3").pipe("a@12").pipe("a@8")   // watermark 7: [0,10) open
                    .pipe("a@16")                                       // watermark 11: [0,10) closes
                    .pipe("a@9").pipe("b@2")                            // late
                    .pipe("b@19").pipe("a@25");                         // watermark 20: [10,20) closes
            assertEquals(List.of("a@[0, 10)=2", "b@[0, 10)=1", "a@[10, 20)=2", "b@[10, 20)=1"), results(driver));
            assertEquals(2, driver.lateRecords("counts"));
            assertEquals(List.of(KeyValue.of("a", "a@9"), KeyValue.of("b", "b@2")),
                    driver.output("late").readValuesToList());
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of("a@[20, 30)=1"), results(driver));
        }
    }

    @Test
    void graceAdmitsLateArrivalsUntilWatermarkPassesEndPlusGrace() {
        StreamBuilder builder = new StreamBuilder("grace");
        builder.source("events", CollectionSource.of("x@0"), outOfOrder(0))
                .keyBy(WindowingTest::key)
                .window(TumblingWindows.of(Duration.ofMillis(10)).grace(Duration.ofMillis(5)))
                .count(Named.as("counts"))
                .to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("events").pipe("a@1").pipe("a@12").pipe("a@9").pipe("a@15").pipe("a@3");
            assertEquals(List.of("a@[0, 10)=2"), results(driver));
            assertEquals(1, driver.lateRecords("counts"));
        }
    }

    @Test
    void hoppingWindowsOnEveryUpdateEmitEachOverlappingWindowsNewCount() {
        StreamBuilder builder = new StreamBuilder("hopping");
        builder.source("events", CollectionSource.of("x@0"), outOfOrder(100))
                .keyBy(WindowingTest::key)
                .window(HoppingWindows.of(Duration.ofMillis(10)).advanceBy(Duration.ofMillis(5)))
                .emit(EmitStrategy.onEveryUpdate())
                .count(Named.as("counts"))
                .to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("events").pipe("a@3").pipe("a@7");
            assertEquals(List.of("a@[-5, 5)=1", "a@[0, 10)=1", "a@[0, 10)=2", "a@[5, 15)=1"), results(driver));
        }
    }

    @Test
    void sessionsMergeWhenARecordBridgesThemAndReduceCombinesTheirValues() {
        StreamBuilder builder = new StreamBuilder("sessions");
        builder.source("clicks", CollectionSource.of("x@0"), outOfOrder(50))
                .keyBy(WindowingTest::key)
                .window(SessionWindows.withGap(Duration.ofMillis(10)))
                .reduce((left, right) -> left + "+" + right.split("@")[1], Named.as("sessions"))
                .to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("clicks").pipe("u@0").pipe("u@18").pipe("u@9").pipe("v@40");
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of("u@[0, 28)=u@0+18+9", "v@[40, 50)=v@40"), results(driver));
        }
    }

    @Test
    void everyIntervalEmitsTheLatestResultPerIntervalOfProcessingTime() {
        StreamBuilder builder = new StreamBuilder("interval");
        builder.source("events", CollectionSource.of("x@0"), outOfOrder(1_000))
                .keyBy(WindowingTest::key)
                .window(TumblingWindows.of(Duration.ofMillis(100)))
                .emit(EmitStrategy.everyInterval(Duration.ofSeconds(1)))
                .count(Named.as("counts"))
                .to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.advanceProcessingTime(Duration.ZERO);
            driver.<String>input("events").pipe("a@1").pipe("a@2").pipe("b@3");
            driver.advanceProcessingTime(Duration.ofMillis(999));
            assertEquals(List.of(), results(driver));
            driver.advanceProcessingTime(Duration.ofMillis(1));
            assertEquals(List.of("a@[0, 100)=2", "b@[0, 100)=1"), results(driver));
        }
    }

    @Test
    void theSlowestSourceHoldsTheWatermarkBack() {
        StreamBuilder builder = new StreamBuilder("two-sources");
        EventStream<String> fast = builder.source("fast", CollectionSource.of("x@0"), outOfOrder(0));
        EventStream<String> slow = builder.source("slow", CollectionSource.of("x@0"), outOfOrder(0));
        fast.merge(slow)
                .keyBy(WindowingTest::key)
                .window(TumblingWindows.of(Duration.ofMillis(10)))
                .count(Named.as("counts"))
                .to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("fast").pipe("a@1").pipe("a@50");
            driver.<String>input("slow").pipe("a@5");
            assertEquals(5, driver.watermark(), "min(50, 5)");
            assertEquals(List.of(), results(driver), "[0,10) stays open for the slow source");
            driver.<String>input("slow").pipe("a@30");
            assertEquals(List.of("a@[0, 10)=2"), results(driver), "watermark 30 closes [0,10): a@1 and a@5");
            assertEquals(0, driver.lateRecords("counts"));
        }
    }

    @Test
    void windowsWithoutEventTimeFailWhenBuiltSayingWhatToDo() {
        StreamBuilder builder = new StreamBuilder("no-time");
        KeyedStream<String, String> keyed = builder.source("trades", CollectionSource.of("a")).keyBy(s -> s);
        TopologyException e = assertThrows(TopologyException.class,
                () -> keyed.window(TumblingWindows.of(Duration.ofSeconds(1))).count(Named.as("vwap")));
        assertEquals("window 'vwap': onWindowClose() needs event time, and source 'trades' has no watermark strategy;"
                + " call withWatermarks(...) on it, for example"
                + " WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(200))", e.getMessage());
    }

    @Test
    void sessionAggregateWithoutAMergerFailsWhenBuilt() {
        StreamBuilder builder = new StreamBuilder("no-merger");
        KeyedStream<String, String> keyed = builder.source("clicks", CollectionSource.of("a"), outOfOrder(0))
                .keyBy(s -> s);
        TopologyException e = assertThrows(TopologyException.class, () -> keyed
                .window(SessionWindows.withGap(Duration.ofSeconds(1)))
                .aggregate(() -> 0, (k, v, a) -> a + 1, Named.as("clicks-per-session")));
        assertEquals(SESSION_NEEDS_MERGER, e.getMessage());
    }

    private static final String SESSION_NEEDS_MERGER = "window 'clicks-per-session': session windows merge two"
            + " sessions when a record bridges them, so aggregate needs a Merger that combines their aggregates:"
            + " use aggregate(initializer, aggregator, merger, named) or aggregate(initializer, aggregator, merger,"
            + " named, materialized)";

    @Test
    void withWatermarksBelongsOnTheSourceStream() {
        StreamBuilder builder = new StreamBuilder("misplaced");
        EventStream<String> mapped = builder.source("events", CollectionSource.of("a")).map(s -> s, Named.as("upper"));
        TopologyException e = assertThrows(TopologyException.class, () -> mapped.withWatermarks(outOfOrder(0)));
        assertEquals("withWatermarks(...) on map 'upper': watermarks are made where records enter; call it on the"
                + " stream builder.source(...) returns, before any operator", e.getMessage());
    }

    @Test
    void threadedPipelineOverThreePartitionsAndTwoShardsCountsEveryWindowExactly() throws Exception {
        // Each partition is in time order, so with the watermark the minimum over partitions no
        // record can be late, however the threads interleave; a wrong minimum would drop some.
        List<List<String>> partitions = new ArrayList<>();
        Map<String, Long> expected = new TreeMap<>();
        for (int p = 0; p < 3; p++) {
            List<String> events = new ArrayList<>();
            for (int t = 0; t < 3_000 * (p + 1); t += p + 1) {
                String key = "k" + (t % 7);
                events.add(key + "@" + t);
                expected.merge(key + "@[" + (t / 100 * 100) + ", " + (t / 100 * 100 + 100) + ")", 1L, Long::sum);
            }
            partitions.add(events);
        }
        CollectingSink<KeyValue<Windowed<String>, Long>> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("partitions");
        builder.source("events", CollectionSource.partitioned(partitions),
                        WatermarkStrategy.<String>forMonotonousTimestamps()
                                .withTimestampExtractor((e, t) -> Long.parseLong(e.split("@")[1])))
                .keyBy(WindowingTest::key)
                .window(TumblingWindows.of(Duration.ofMillis(100)))
                .count(Named.as("counts"))
                .to(sink);
        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withParallelism(2))) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
            assertEquals(0, pipeline.lateRecords("counts"));
        }
        Map<String, Long> actual = new TreeMap<>();
        for (KeyValue<Windowed<String>, Long> kv : sink.values()) {
            Long previous = actual.put(kv.key().toString(), kv.value());
            assertEquals(null, previous, "one final result per window: " + kv.key());
        }
        assertEquals(expected, actual);
    }

    @Test
    void threadedPipelineDropsExactlyTheLateRecordsOfAnOutOfOrderStream() throws Exception {
        CollectingSink<KeyValue<Windowed<String>, Long>> sink = new CollectingSink<>();
        CollectingSink<KeyValue<String, String>> late = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("late");
        builder.source("events", CollectionSource.of("a@1", "b@3", "a@12", "a@8", "a@16", "a@9", "b@2", "b@19", "a@25"),
                        outOfOrder(5))
                .keyBy(WindowingTest::key)
                .window(TumblingWindows.of(Duration.ofMillis(10)))
                .lateRecords(late, Named.as("late"))
                .count(Named.as("counts"))
                .to(sink);
        try (Pipeline pipeline = new Pipeline(builder.build())) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
            assertEquals(2, pipeline.lateRecords("counts"));
        }
        List<String> results = new ArrayList<>();
        sink.values().forEach(kv -> results.add(kv.key() + "=" + kv.value()));
        assertEquals(List.of("a@[0, 10)=2", "b@[0, 10)=1", "a@[10, 20)=2", "b@[10, 20)=1", "a@[20, 30)=1"), results);
        assertEquals(List.of(KeyValue.of("a", "a@9"), KeyValue.of("b", "b@2")), late.values());
    }

    @Test
    void testDriverLateRecordsOfAnUnknownWindowThrowsListingTheWindows() {
        StreamBuilder builder = new StreamBuilder("typo");
        builder.source("events", CollectionSource.of("x@0"), outOfOrder(5))
                .keyBy(WindowingTest::key)
                .window(TumblingWindows.of(Duration.ofMillis(10)))
                .count(Named.as("counts"))
                .to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            assertEquals(0, driver.lateRecords("counts"));
            assertEquals("topology 'typo' has no window named 'count'; its windows are [counts]",
                    assertThrows(IllegalArgumentException.class, () -> driver.lateRecords("count")).getMessage());
        }
    }

    @Test
    void lateRecordsOfATopologyWithoutWindowsSaysItHasNone() {
        StreamBuilder builder = new StreamBuilder("plain");
        builder.source("events", CollectionSource.of("x@0")).to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            assertEquals("topology 'plain' has no window named 'counts'; it has no windows",
                    assertThrows(IllegalArgumentException.class, () -> driver.lateRecords("counts")).getMessage());
        }
    }

    @Test
    void windowedCountAndReduceWithoutANameAreNamedAfterTheirKindAndPosition() {
        StreamBuilder builder = new StreamBuilder("unnamed");
        KeyedStream<String, String> keyed = builder.source("events", CollectionSource.of("x@0"), outOfOrder(0))
                .keyBy(WindowingTest::key);
        keyed.window(TumblingWindows.of(Duration.ofMillis(10))).count().to(new CollectingSink<>(), Named.as("out"));
        keyed.window(TumblingWindows.of(Duration.ofMillis(10)))
                .reduce((left, right) -> left + "+" + right.split("@")[1])
                .to(new CollectingSink<>(), Named.as("joined"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("events").pipe("a@1").pipe("a@3").pipe("a@12").pipe("a@2");
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of("a@[0, 10)=2", "a@[10, 20)=1"), results(driver));
            List<String> joined = new ArrayList<>();
            for (KeyValue<Windowed<String>, String> kv : driver.<KeyValue<Windowed<String>, String>>output("joined")
                    .readValuesToList()) {
                joined.add(kv.key() + "=" + kv.value());
            }
            assertEquals(List.of("a@[0, 10)=a@1+3", "a@[10, 20)=a@12"), joined);
            assertEquals(1, driver.lateRecords("window-2"));
            assertEquals(1, driver.lateRecords("window-5"));
            assertEquals("topology 'unnamed' has no window named 'count'; its windows are [window-2, window-5]",
                    assertThrows(IllegalArgumentException.class, () -> driver.lateRecords("count")).getMessage());
        }
    }

    @Test
    void sessionAggregateWithANullMergerFailsWhenBuiltNamingTheFix() {
        StreamBuilder builder = new StreamBuilder("null-merger");
        KeyedStream<String, String> keyed = builder.source("clicks", CollectionSource.of("a"), outOfOrder(0))
                .keyBy(s -> s);
        TopologyException e = assertThrows(TopologyException.class, () -> keyed
                .window(SessionWindows.withGap(Duration.ofSeconds(1)))
                .aggregate(() -> 0, (k, v, a) -> a + 1, null, Named.as("clicks-per-session"), Materialized.defaults()));
        assertEquals(SESSION_NEEDS_MERGER, e.getMessage());
    }

    /** A type of the user's own, which needs a serde of its own. */
    record Span(long first, long last) {
        Span add(long time) {
            return new Span(Math.min(first, time), Math.max(last, time));
        }
    }

    private static final io.ringflow.state.Serde<Span> SPAN_SERDE = io.ringflow.state.Serdes.of("Span",
            (span, out) -> {
                out.writeLong(span.first());
                out.writeLong(span.last());
            },
            in -> new Span(in.readLong(), in.readLong()));

    @Test
    void tumblingAggregateOfATypeOfYourOwnTakesMaterializedWithoutAMerger() {
        StreamBuilder builder = new StreamBuilder("custom");
        builder.source("events", CollectionSource.of("x@0"), outOfOrder(0))
                .keyBy(WindowingTest::key)
                .window(TumblingWindows.of(Duration.ofMillis(10)))
                .aggregate(() -> new Span(Long.MAX_VALUE, Long.MIN_VALUE),
                        (key, event, span) -> span.add(Long.parseLong(event.split("@")[1])),
                        Named.as("spans"), Materialized.with(io.ringflow.state.Serdes.string(), SPAN_SERDE))
                .to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("events").pipe("a@4").pipe("a@1").pipe("a@7").pipe("a@15");
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of("a@[0, 10)=Span[first=1, last=7]", "a@[10, 20)=Span[first=15, last=15]"),
                    results(driver));
        }
    }

    @Test
    void sessionAggregateWithAMergerAndNoMaterializedMergesBridgedSessions() {
        StreamBuilder builder = new StreamBuilder("merged");
        builder.source("clicks", CollectionSource.of("x@0"), outOfOrder(50))
                .keyBy(WindowingTest::key)
                .window(SessionWindows.withGap(Duration.ofMillis(10)))
                .aggregate(() -> 0L, (key, click, n) -> n + 1, (key, left, right) -> left + right,
                        Named.as("clicks-per-session"))
                .to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("clicks").pipe("u@0").pipe("u@18").pipe("u@9").pipe("v@40");
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of("u@[0, 28)=3", "v@[40, 50)=1"), results(driver));
        }
    }

    @Test
    void unnamedSessionAggregateWithoutAMergerFailsNamingTheWindowItWouldHaveBeen() {
        StreamBuilder builder = new StreamBuilder("no-merger");
        KeyedStream<String, String> keyed = builder.source("clicks", CollectionSource.of("a"), outOfOrder(0))
                .keyBy(s -> s);
        TopologyException e = assertThrows(TopologyException.class, () -> keyed
                .window(SessionWindows.withGap(Duration.ofSeconds(1)))
                .aggregate(() -> 0, (k, v, a) -> a + 1));
        assertEquals(SESSION_NEEDS_MERGER.replace("clicks-per-session", "window-2"), e.getMessage());
    }
}
