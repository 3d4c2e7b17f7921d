package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ringflow.RandomWindowInput.Event;
import io.ringflow.WindowReferenceModel.Aggregate;
import io.ringflow.WindowReferenceModel.Outcome;
import io.ringflow.WindowReferenceModel.WindowKey;
import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.state.Serdes;
import io.ringflow.testing.TestInput;
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
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test of event-time windows (issue 15): one seeded random input, out of order with
 * some far-late records, through tumbling, overlapping hopping, gapped hopping and session windows
 * counting and summing on window close, on the {@link TopologyTestDriver} and on real pipelines at
 * parallelism 1, 2 and 3 (RocksDB in a temporary directory, a write-back cache of 2 entries, so
 * state really goes through RocksDB); every result and the late count must equal
 * {@link WindowReferenceModel}'s. The seed is {@code System.nanoTime()} unless
 * {@code -Dwindows.seed=N}, and every failure names it.
 */
class WindowDifferentialTest {

    private static final long SEED = Long.getLong("windows.seed", System.nanoTime());
    private static final RandomWindowInput INPUT = RandomWindowInput.generate(SEED);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_LINES = 12;

    @TempDir
    Path directory;

    enum Shape {
        TUMBLING, HOPPING_OVERLAPPING, HOPPING_WITH_GAPS, SESSION;

        WindowSpec spec(long grace) {
            Duration g = Duration.ofMillis(grace);
            return switch (this) {
                case TUMBLING -> TumblingWindows.of(Duration.ofMillis(20)).grace(g);
                case HOPPING_OVERLAPPING -> HoppingWindows.of(Duration.ofMillis(30)).advanceBy(Duration.ofMillis(10)).grace(g);
                case HOPPING_WITH_GAPS -> HoppingWindows.of(Duration.ofMillis(10)).advanceBy(Duration.ofMillis(25)).grace(g);
                case SESSION -> SessionWindows.withGap(Duration.ofMillis(6)).grace(g);
            };
        }
    }

    /** Where the topology runs: the test driver (0), or a pipeline at that parallelism. */
    enum Runner {
        DRIVER(0), P1(1), P2(2), P3(3);

        final int parallelism;

        Runner(int parallelism) {
            this.parallelism = parallelism;
        }
    }

    /** What a run gave: counts and sums by window, windows emitted more than once, late counts. */
    record Observed(SortedMap<WindowKey, Long> counts, SortedMap<WindowKey, Long> sums, Set<String> duplicates,
                    long lateCounted, long lateSummed) {
    }

    @BeforeAll
    static void sayWhichInput() {
        System.out.println("WindowDifferentialTest input: " + INPUT.describe()); // passing runs name their seed too
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Shape shape : Shape.values()) {
            for (Runner runner : Runner.values()) {
                cases.add(Arguments.of(shape, runner));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void resultsAndLateCountsEqualTheReferenceModel(Shape shape, Runner runner) throws Exception {
        WindowSpec spec = shape.spec(INPUT.grace());
        Outcome expected = WindowReferenceModel.run(INPUT.events(), spec, INPUT.outOfOrderness());
        assertTrue(expected.late() > 0 && expected.results().size() > 100,
                "the input exercises lateness and many windows; " + INPUT.describe());
        Observed actual = runner == Runner.DRIVER ? onDriver(spec) : onPipeline(spec, runner.parallelism);
        String diff = diff(expected, actual);
        if (!diff.isEmpty()) {
            fail(shape + " " + spec + " on " + (runner == Runner.DRIVER ? "the test driver" : "a pipeline at parallelism "
                    + runner.parallelism) + " differs from the reference model; " + INPUT.describe() + diff);
        }
    }

    private static StreamBuilder topology(WindowSpec spec, CollectionSource<Event> source,
                                          CollectingSink<KeyValue<Windowed<String>, Long>> counts,
                                          CollectingSink<KeyValue<Windowed<String>, Long>> sums) {
        StreamBuilder builder = new StreamBuilder("differential");
        WindowedStream<String, Event> windowed = builder.source("events", source,
                        WatermarkStrategy.<Event>forBoundedOutOfOrderness(Duration.ofMillis(INPUT.outOfOrderness())))
                .keyBy(Event::key)
                .window(spec)
                .emit(EmitStrategy.onWindowClose());
        windowed.count(Named.as("count")).to(counts, Named.as("counts"));
        windowed.aggregate(() -> 0L, (key, event, sum) -> sum + event.amount(), (key, left, right) -> left + right,
                        Named.as("sum"), Materialized.with(Serdes.string(), Serdes.longs()))
                .to(sums, Named.as("sums"));
        return builder;
    }

    private static CollectionSource<Event> source() {
        return CollectionSource.of(INPUT.events()).withTimestamps(Event::time);
    }

    private static Observed onDriver(WindowSpec spec) {
        StreamBuilder builder = topology(spec, source(), new CollectingSink<>(), new CollectingSink<>());
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            TestInput<Event> input = driver.input("events");
            for (Event event : INPUT.events()) {
                input.pipe(event, event.time());
            }
            driver.advanceWatermark(Long.MAX_VALUE); // as the end of the bounded source does
            Set<String> duplicates = new TreeSet<>();
            return new Observed(
                    byWindow(driver.<KeyValue<Windowed<String>, Long>>output("counts").readValuesToList(), "count", duplicates),
                    byWindow(driver.<KeyValue<Windowed<String>, Long>>output("sums").readValuesToList(), "sum", duplicates),
                    duplicates, driver.lateRecords("count"), driver.lateRecords("sum"));
        }
    }

    private Observed onPipeline(WindowSpec spec, int parallelism) throws Exception {
        CollectingSink<KeyValue<Windowed<String>, Long>> counts = new CollectingSink<>();
        CollectingSink<KeyValue<Windowed<String>, Long>> sums = new CollectingSink<>();
        StreamBuilder builder = topology(spec, source(), counts, sums);
        PipelineConfig config = PipelineConfig.defaults().withParallelism(parallelism)
                .withStateDirectory(directory.resolve("p" + parallelism)).withStateCacheEntries(2);
        long lateCounted;
        long lateSummed;
        try (Pipeline pipeline = new Pipeline(builder.build(), config)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT), "the bounded input ends the pipeline; " + INPUT.describe());
            pipeline.failure().ifPresent(e -> fail("the pipeline failed; " + INPUT.describe(), e));
            lateCounted = pipeline.lateRecords("count");
            lateSummed = pipeline.lateRecords("sum");
        }
        Set<String> duplicates = new TreeSet<>();
        return new Observed(byWindow(counts.values(), "count", duplicates), byWindow(sums.values(), "sum", duplicates),
                duplicates, lateCounted, lateSummed);
    }

    private static SortedMap<WindowKey, Long> byWindow(List<KeyValue<Windowed<String>, Long>> results, String what,
                                                       Set<String> duplicates) {
        SortedMap<WindowKey, Long> byWindow = new TreeMap<>();
        for (KeyValue<Windowed<String>, Long> kv : results) {
            WindowKey window = new WindowKey(kv.key().key(), kv.key().window().start(), kv.key().window().end());
            Long previous = byWindow.put(window, kv.value());
            if (previous != null) {
                duplicates.add(what + " " + window + " emitted again: " + previous + ", then " + kv.value());
            }
        }
        return byWindow;
    }

    /** Empty when equal; otherwise the late counts and every differing window, expected vs actual. */
    private static String diff(Outcome expected, Observed actual) {
        StringBuilder out = new StringBuilder();
        if (actual.lateCounted() != expected.late() || actual.lateSummed() != expected.late()) {
            out.append("\n  late records: expected ").append(expected.late()).append(", actual ")
                    .append(actual.lateCounted()).append(" (count) and ").append(actual.lateSummed()).append(" (sum)");
        }
        Set<WindowKey> windows = new TreeSet<>(expected.results().keySet());
        windows.addAll(actual.counts().keySet());
        windows.addAll(actual.sums().keySet());
        List<String> lines = new ArrayList<>();
        int missing = 0;
        int extra = 0;
        int wrong = 0;
        for (WindowKey window : windows) {
            Aggregate want = expected.results().get(window);
            Long count = actual.counts().get(window);
            Long sum = actual.sums().get(window);
            if (want != null && count != null && sum != null && want.count() == count && want.sum() == sum) {
                continue;
            }
            if (want == null) {
                extra++;
            } else if (count == null && sum == null) {
                missing++;
            } else {
                wrong++;
            }
            lines.add(window + ": expected " + (want == null ? "no result" : "count " + want.count() + " sum " + want.sum())
                    + ", actual " + (count == null && sum == null ? "no result" : "count " + count + " sum " + sum));
        }
        if (!lines.isEmpty()) {
            out.append("\n  windows: ").append(expected.results().size()).append(" expected, ")
                    .append(actual.counts().size()).append(" counted, ").append(actual.sums().size()).append(" summed; ")
                    .append(missing).append(" missing, ").append(extra).append(" unexpected, ").append(wrong)
                    .append(" with other values:");
            lines.stream().limit(MAX_LINES).forEach(line -> out.append("\n    ").append(line));
            if (lines.size() > MAX_LINES) {
                out.append("\n    ... and ").append(lines.size() - MAX_LINES).append(" more");
            }
        }
        actual.duplicates().stream().limit(MAX_LINES).forEach(line -> out.append("\n  ").append(line));
        return out.toString();
    }
}
