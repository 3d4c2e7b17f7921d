package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.function.Collector;
import io.ringflow.function.KeyedProcessFunction;
import io.ringflow.state.InferredSerde;
import io.ringflow.state.TimerStore;
import io.ringflow.state.rocksdb.RocksDbStateBackend;
import io.ringflow.testing.TestInput;
import io.ringflow.testing.TopologyTestDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Timers in real pipelines, on RocksDB and on the heap, at parallelism 1 and 2: the stale-quote
 * alarm gives the test driver's alarms exactly; processing-time timers fire on the timer
 * thread's ticks with no record coming; fired timers leave nothing stored.
 */
class TimersPipelineTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    private static Topology alarms(Source<String> source, Sink<KeyValue<String, String>> sink) {
        StreamBuilder builder = new StreamBuilder("alarms");
        builder.source("quotes", source, StaleQuotes.eventTime())
                .keyBy(StaleQuotes::symbol)
                .process(new StaleQuotes(), Named.as("alarm"))
                .to(sink, Named.as("alarms"));
        return builder.build();
    }

    /** The alarms the single-threaded driver gives for {@code quotes}, sorted: the reference. */
    static List<String> driverAlarms(List<String> quotes) {
        try (TopologyTestDriver driver = new TopologyTestDriver(alarms(CollectionSource.of("x@0"),
                new CollectingSink<>()))) {
            TestInput<String> input = driver.input("quotes");
            for (String quote : quotes) {
                input.pipe(quote);
            }
            driver.advanceWatermark(Long.MAX_VALUE); // as the end of the bounded input does
            return sorted(driver.<KeyValue<String, String>>output("alarms").readValuesToList());
        }
    }

    static List<String> sorted(List<KeyValue<String, String>> alarms) {
        return alarms.stream().map(KeyValue::value).sorted().toList();
    }

    /**
     * The source's one reader runs its shard's chain (source chaining), which forwards the
     * watermark after every quote, so each keyed shard sees the same watermark steps between its
     * quotes as the driver does, whatever the parallelism.
     */
    @ParameterizedTest(name = "parallelism {0}, {1} state")
    @CsvSource({"1, rocksdb", "2, rocksdb", "2, heap"})
    void staleQuoteAlarmsOfAPipelineAreTheDriversExactly(int parallelism, String state) throws Exception {
        List<String> quotes = StaleQuotes.quotes(3_000, 8, 42);
        CollectingSink<KeyValue<String, String>> sink = new CollectingSink<>();
        PipelineConfig config = PipelineConfig.defaults().withParallelism(parallelism);
        if (state.equals("heap")) {
            config = config.withInMemoryState();
        }
        try (Pipeline pipeline = new Pipeline(alarms(CollectionSource.of(quotes), sink), config)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT), "the bounded input ends the pipeline");
        }
        List<String> expected = driverAlarms(quotes);
        assertTrue(expected.size() > 40, "alarms fire along the input, not only at its end: " + expected.size());
        assertEquals(expected, sorted(sink.values()));
    }

    /**
     * Each record is passed on and sets a timer at the end of its second; a window of a later
     * stage counts both. The record that opens a second moves the watermark past the timers
     * of the second before: its own output must not carry that advance to the window ahead of
     * the timers' outputs, or the window would close first and drop them as late.
     */
    @ParameterizedTest(name = "parallelism {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2})
    void aTimersOutputIsNotLateInALaterStagesWindowTheSameAdvanceCloses(int parallelism) throws Exception {
        KeyedProcessFunction<String, String, String> passOnAndMarkTheSecond = new KeyedProcessFunction<>() {
            @Override
            public void process(String quote, Context<String> ctx, Collector<String> out) {
                out.collect("record");
                ctx.timers().registerEventTimeTimer(ctx.timestamp() / 1_000 * 1_000 + 999);
            }

            @Override
            public void onTimer(long timestamp, OnTimerContext<String> ctx, Collector<String> out) {
                out.collect("end of second");
            }
        };
        List<String> quotes = StaleQuotes.quotes(3_000, 5, 11);
        java.util.Map<Long, Long> expected = new java.util.TreeMap<>();
        Set<String> keySeconds = new TreeSet<>();
        for (String quote : quotes) {
            long second = StaleQuotes.time(quote) / 1_000 * 1_000;
            expected.merge(second, keySeconds.add(StaleQuotes.symbol(quote) + "@" + second) ? 2L : 1L, Long::sum);
        }
        CollectingSink<KeyValue<io.ringflow.windowing.Windowed<String>, Long>> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("timers-into-windows");
        builder.source("quotes", CollectionSource.of(quotes), StaleQuotes.eventTime())
                .keyBy(StaleQuotes::symbol)
                .process(passOnAndMarkTheSecond, Named.as("mark"))
                .keyBy(value -> "all")
                .window(io.ringflow.windowing.TumblingWindows.of(Duration.ofSeconds(1)))
                .count(Named.as("per-second"))
                .to(sink, Named.as("out"));
        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withParallelism(parallelism))) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
            assertEquals(0, pipeline.lateRecords("per-second"), "timer outputs were late");
        }
        java.util.Map<Long, Long> counted = new java.util.TreeMap<>();
        for (KeyValue<io.ringflow.windowing.Windowed<String>, Long> kv : sink.values()) {
            counted.merge(kv.key().window().start(), kv.value(), Long::sum);
        }
        assertEquals(expected, counted);
    }

    @Test
    void aProcessingTimeTimerFiresOnTheTimerThreadsTicksWithNoRecordComing() throws Exception {
        KeyedProcessFunction<String, String, String> inFiftyMillis = new KeyedProcessFunction<>() {
            @Override
            public void process(String value, Context<String> ctx, Collector<String> out) {
                ctx.timers().registerProcessingTimeTimer(ctx.timers().currentProcessingTime() + 50);
            }

            @Override
            public void onTimer(long timestamp, OnTimerContext<String> ctx, Collector<String> out) {
                long late = ctx.timers().currentProcessingTime() - timestamp;
                out.collect(ctx.key() + " " + ctx.timeDomain() + (late >= 0 ? " on time" : " early by " + -late));
            }
        };
        Source<String> oneThenQuiet = context -> {
            context.emit("a");
            while (context.isRunning()) {
                Thread.sleep(2);
            }
        };
        CollectingSink<KeyValue<String, String>> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("processing-timers");
        builder.source("events", oneThenQuiet).keyBy(s -> s).process(inFiftyMillis, Named.as("later"))
                .to(sink, Named.as("out"));
        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withParallelism(2))) {
            assertTrue(pipeline.describe().contains("Timer: one thread, a tick every 20 ms"), pipeline.describe());
            pipeline.start();
            assertTrue(sink.awaitSize(1, TIMEOUT), "the timer fired");
        }
        assertEquals(List.of(KeyValue.of("a", "a PROCESSING_TIME on time")), sink.values());
    }

    /** README: the end of a bounded input fires every event-time timer; pending processing-time ones do not fire. */
    @Test
    void theEndOfABoundedInputFiresEveryEventTimeTimerAndNoProcessingTimeTimer() throws Exception {
        KeyedProcessFunction<String, String, String> both = new KeyedProcessFunction<>() {
            @Override
            public void process(String quote, Context<String> ctx, Collector<String> out) {
                ctx.timers().registerEventTimeTimer(ctx.timestamp() + 1_000_000);
                ctx.timers().registerProcessingTimeTimer(ctx.timers().currentProcessingTime() + 3_600_000);
            }

            @Override
            public void onTimer(long timestamp, OnTimerContext<String> ctx, Collector<String> out) {
                out.collect(ctx.timeDomain() + "@" + timestamp);
            }
        };
        CollectingSink<KeyValue<String, String>> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("end-fires");
        builder.source("quotes", CollectionSource.of(List.of("b@20", "a@10")), StaleQuotes.eventTime())
                .keyBy(q -> q.substring(0, q.indexOf('@')))
                .process(both, Named.as("timers"))
                .to(sink, Named.as("out"));
        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults())) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(List.of(KeyValue.of("a", "EVENT_TIME@1000010"), KeyValue.of("b", "EVENT_TIME@1000020")),
                sink.values());
    }

    @Test
    void timersOfTenThousandKeysFireAndLeaveNothingStored() throws Exception {
        List<String> quotes = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            quotes.add("k" + i + "@" + i);
        }
        CollectingSink<KeyValue<String, String>> sink = new CollectingSink<>();
        PipelineConfig config = PipelineConfig.defaults().withParallelism(2).withStateDirectory(directory);
        try (Pipeline pipeline = new Pipeline(alarms(CollectionSource.of(quotes), sink), config)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        Set<String> alarms = new TreeSet<>(sorted(sink.values()));
        assertEquals(10_000, sink.size());
        assertEquals(10_000, alarms.size(), "each key's alarm once");

        try (RocksDbStateBackend state = new RocksDbStateBackend(directory, 2, 16L << 20, 0)) {
            for (int shard = 0; shard < 2; shard++) {
                assertTrue(state.storeNames(shard).contains("alarm.event-timers"), state.storeNames(shard).toString());
                TimerStore<Object> timers = state.timerStore(shard, "alarm.event-timers", new InferredSerde<>("alarm", "key"));
                assertEquals(Long.MAX_VALUE, timers.earliestTime(), "shard " + shard + " kept a timer");
                assertEquals(0, timers.pollUpTo(Long.MAX_VALUE, (time, key) -> { }));
                timers.close();
                assertEquals(List.of(), drain(state, shard), "onTimer cleared every key's state");
            }
        }
    }

    private static List<Object> drain(RocksDbStateBackend state, int shard) {
        List<Object> keys = new ArrayList<>();
        try (var store = state.keyValueStore(shard, "alarm", new InferredSerde<>("alarm", "key"),
                new InferredSerde<>("alarm", "value"))) {
            try (var all = store.all()) {
                all.forEachRemaining(entry -> keys.add(entry.key()));
            }
        }
        return keys;
    }
}
