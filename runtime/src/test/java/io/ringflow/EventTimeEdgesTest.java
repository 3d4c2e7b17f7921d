package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.error.ErrorHandler;
import io.ringflow.error.FailedRecord;
import io.ringflow.testing.TopologyTestDriver;
import io.ringflow.watermark.WatermarkStrategy;
import io.ringflow.windowing.EmitStrategy;
import io.ringflow.windowing.HoppingWindows;
import io.ringflow.windowing.SessionWindows;
import io.ringflow.windowing.TumblingWindows;
import io.ringflow.windowing.WindowSpec;
import io.ringflow.windowing.Windowed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timestamps at the ends of the long range through the DSL: the watermark saturates instead
 * of wrapping, windows near the ends of time work, and a record no window can hold goes to
 * the error handler saying why and what to do, never silently nowhere.
 */
class EventTimeEdgesTest {

    private static final long MIN = Long.MIN_VALUE;
    private static final long MAX = Long.MAX_VALUE;
    private static final String FIX = "; give the record its real event time (epoch milliseconds) in the source's"
            + " TimestampExtractor, or filter such records out before window(...)";

    @TempDir
    Path state;

    private final CollectingSink<FailedRecord> deadLetters = new CollectingSink<>();

    /** An event "key@time" whose event time is in the value. */
    private static WatermarkStrategy<String> outOfOrder(long millis) {
        return WatermarkStrategy.<String>forBoundedOutOfOrderness(Duration.ofMillis(millis))
                .withTimestampExtractor((event, sourceTime) -> Long.parseLong(event.split("@")[1]));
    }

    private static String key(String event) {
        return event.split("@")[0];
    }

    private static Topology counts(Source<String> source, WindowSpec windows, EmitStrategy emit) {
        StreamBuilder builder = new StreamBuilder("edges");
        builder.source("events", source, outOfOrder(500))
                .keyBy(EventTimeEdgesTest::key)
                .window(windows)
                .emit(emit)
                .count(Named.as("counts"))
                .to(new CollectingSink<>(), Named.as("out"));
        return builder.build();
    }

    private TopologyTestDriver driver(WindowSpec windows, EmitStrategy emit) {
        return new TopologyTestDriver(counts(CollectionSource.of("x@0"), windows, emit),
                PipelineConfig.defaults().withErrorHandler(ErrorHandler.deadLetter(deadLetters)));
    }

    private static List<String> results(TopologyTestDriver driver) {
        List<String> out = new ArrayList<>();
        for (KeyValue<Windowed<String>, Long> kv : driver.<KeyValue<Windowed<String>, Long>>output("out")
                .readValuesToList()) {
            out.add(kv.key() + "=" + kv.value());
        }
        return out;
    }

    private List<String> deadLetters() {
        List<String> out = new ArrayList<>();
        for (FailedRecord failed : deadLetters.values()) {
            out.add(failed.operator() + " " + failed.value() + " @" + failed.timestamp() + ": " + failed.cause().getMessage());
        }
        return out;
    }

    @Test
    void aFirstRecordJustAboveLongMinValueDoesNotWrapTheWatermark() {
        try (TopologyTestDriver driver = driver(SessionWindows.withGap(Duration.ofSeconds(1)), EmitStrategy.onWindowClose())) {
            driver.<String>input("events").pipe("a@" + (MIN + 1));
            assertEquals(MIN, driver.watermark(), "MIN + 1 less 500 ms is before time begins: no watermark yet");
            driver.<String>input("events").pipe("a@1000").pipe("a@1500");
            assertEquals(1_000, driver.watermark());
            assertEquals(List.of("a@[" + (MIN + 1) + ", " + (MIN + 1_001) + ")=1"), results(driver));
            driver.advanceWatermark(MAX);
            assertEquals(List.of("a@[1000, 2500)=2"), results(driver));
            assertEquals(0, driver.lateRecords("counts"));
            assertEquals(List.of(), deadLetters());
        }
    }

    @Test
    void aRecordAtLongMinValueGoesToTheErrorHandlerBecauseThatTimeMeansNoWatermark() {
        try (TopologyTestDriver driver = driver(TumblingWindows.of(Duration.ofSeconds(1)), EmitStrategy.onWindowClose())) {
            driver.<String>input("events").pipe("a@" + MIN).pipe("a@5");
            driver.advanceWatermark(MAX);
            assertEquals(List.of("a@[0, 1000)=1"), results(driver));
            assertEquals(0, driver.lateRecords("counts"));
            assertEquals(List.of("counts a@" + MIN + " @" + MIN + ": event time " + MIN + " (Long.MIN_VALUE) fits no"
                    + " window: it is Watermarks.NONE, 'no watermark yet'" + FIX), deadLetters());
        }
    }

    @Test
    void aRecordAtLongMaxValueWithOnEveryUpdateGoesToTheErrorHandlerSayingItsWindowWouldEndPastTheEndOfTime() {
        try (TopologyTestDriver driver = driver(TumblingWindows.of(Duration.ofSeconds(1)), EmitStrategy.onEveryUpdate())) {
            driver.<String>input("events").pipe("a@1").pipe("a@" + MAX);
            assertEquals(List.of("a@[0, 1000)=1"), results(driver));
            assertEquals(0, driver.lateRecords("counts"));
            assertEquals(List.of("counts a@" + MAX + " @" + MAX + ": event time " + MAX + " fits no window: its"
                    + " tumbling window of 1000 ms starting at 9223372036854775000 would end after Long.MAX_VALUE" + FIX),
                    deadLetters());
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aHoppingWindowNearLongMaxValueFinishesAndGoesToTheErrorHandler() {
        HoppingWindows hopping = HoppingWindows.of(Duration.ofSeconds(10)).advanceBy(Duration.ofSeconds(1));
        try (TopologyTestDriver driver = driver(hopping, EmitStrategy.onWindowClose())) {
            driver.<String>input("events").pipe("a@" + (MAX - 5));
            driver.advanceWatermark(MAX);
            assertEquals(List.of(), results(driver));
            assertEquals(0, driver.lateRecords("counts"));
            assertEquals(List.of("counts a@" + (MAX - 5) + " @" + (MAX - 5) + ": event time " + (MAX - 5) + " fits no"
                    + " window: its hopping window of 10000 ms every 1000 ms starting at 9223372036854775000 would end"
                    + " after Long.MAX_VALUE" + FIX), deadLetters());
        }
    }

    @Test
    void aRecordWhoseWindowWouldEndAfterLongMaxValueGoesToThePipelinesErrorHandlerNotToTheLateCount() throws Exception {
        CollectingSink<KeyValue<Windowed<String>, Long>> out = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("edges-pipeline");
        builder.source("events", CollectionSource.of("a@1", "a@2", "b@" + (MAX - 10)), outOfOrder(500))
                .keyBy(EventTimeEdgesTest::key)
                .window(TumblingWindows.of(Duration.ofSeconds(1)))
                .count(Named.as("counts"))
                .to(out);
        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withStateDirectory(state)
                .withErrorHandler(ErrorHandler.deadLetter(deadLetters)))) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(Duration.ofSeconds(30)));
            assertEquals(0, pipeline.lateRecords("counts"));
        }
        List<String> results = new ArrayList<>();
        out.values().forEach(kv -> results.add(kv.key() + "=" + kv.value()));
        assertEquals(List.of("a@[0, 1000)=2"), results);
        assertEquals(List.of("counts b@" + (MAX - 10) + " @" + (MAX - 10) + ": event time " + (MAX - 10) + " fits no"
                + " window: its tumbling window of 1000 ms starting at 9223372036854775000 would end after"
                + " Long.MAX_VALUE" + FIX), deadLetters());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aHoppingWindowNearLongMaxValueFailsThePipelineByDefaultInsteadOfSpinningItsShard() throws Exception {
        StreamBuilder builder = new StreamBuilder("hopping-edge");
        builder.source("events", CollectionSource.of("a@1", "a@" + (MAX - 5)), outOfOrder(500))
                .keyBy(EventTimeEdgesTest::key)
                .window(HoppingWindows.of(Duration.ofSeconds(10)).advanceBy(Duration.ofSeconds(1)))
                .count(Named.as("counts"))
                .to(new CollectingSink<>());
        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withInMemoryState())) {
            pipeline.start();
            PipelineFailedException failure = assertThrows(PipelineFailedException.class,
                    () -> pipeline.awaitTermination(Duration.ofSeconds(20)));
            assertTrue(failure.getMessage().contains("would end after Long.MAX_VALUE" + FIX), failure.getMessage());
        }
    }
}
