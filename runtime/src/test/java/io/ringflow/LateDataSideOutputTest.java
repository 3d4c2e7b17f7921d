package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.testing.TestRecord;
import io.ringflow.testing.TopologyTestDriver;
import io.ringflow.watermark.WatermarkStrategy;
import io.ringflow.windowing.TumblingWindows;
import io.ringflow.windowing.Windowed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sideOutputLateData}: a window's late records as a keyed stream, still counted as
 * late, on the test driver and on pipelines at parallelism 1 and 2 with RocksDB.
 */
class LateDataSideOutputTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final OutputTag<KeyValue<String, String>> LATE = OutputTag.of("late", KeyValue.class);

    @TempDir
    Path directory;

    /** "key@timestamp" records, event time from the timestamp, no out-of-orderness allowed. */
    private static EventStream<String> events(StreamBuilder builder, Source<String> source) {
        return builder.source("events", source, WatermarkStrategy.<String>forBoundedOutOfOrderness(Duration.ZERO)
                .withTimestampExtractor((event, sourceTime) -> Long.parseLong(event.split("@")[1])));
    }

    /** Counts per key and 10 ms window; the late records to a sink as they are, and counted per key. */
    private static Topology counting(Source<String> source, Sink<? super KeyValue<String, Long>> latePerKey,
                                     CollectingSink<KeyValue<String, String>> lateSink) {
        StreamBuilder builder = new StreamBuilder("late-data");
        KeyedStream<Windowed<String>, Long> counts = events(builder, source)
                .keyBy(event -> event.split("@")[0], Named.as("by-key"))
                .window(TumblingWindows.of(Duration.ofMillis(10)))
                .lateRecords(lateSink, Named.as("late-sink"))
                .sideOutputLateData(LATE)
                .count(Named.as("counts"));
        counts.to(new CollectingSink<>(), Named.as("windows"));
        KeyedStream<String, String> late = counts.lateRecords(LATE);
        late.to(new CollectingSink<>(), Named.as("late"));
        late.count(Named.as("late-counts")).to(latePerKey, Named.as("late-per-key"));
        return builder.build();
    }

    @Test
    void lateRecordsBecomeAKeyedStreamWithTheirOwnKeyAndTimestampAndAreStillCounted() {
        CollectingSink<KeyValue<String, String>> lateSink = new CollectingSink<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(counting(CollectionSource.of(), new CollectingSink<>(),
                lateSink))) {
            for (String event : List.of("a@1", "b@2", "a@12", "a@3", "b@5", "a@25", "b@4", "b@15")) {
                driver.<String>input("events").pipe(event);
            }
            assertEquals(List.of(new TestRecord<>(KeyValue.of("a", "a@3"), 3),
                            new TestRecord<>(KeyValue.of("b", "b@5"), 5),
                            new TestRecord<>(KeyValue.of("b", "b@4"), 4),
                            new TestRecord<>(KeyValue.of("b", "b@15"), 15)),
                    driver.output("late").readRecordsToList());
            assertEquals(List.of(KeyValue.of("a", 1L), KeyValue.of("b", 1L), KeyValue.of("b", 2L),
                            KeyValue.of("b", 3L)),
                    driver.output("late-per-key").readValuesToList());
            assertEquals(4, driver.lateRecords("counts"));
            assertEquals(4, driver.output("late-sink").readValuesToList().size(), "the late-record sink gets them too");
        }
    }

    @Test
    void describeShowsTheLateRecordsEdge() {
        String description = counting(CollectionSource.of(), new CollectingSink<>(), new CollectingSink<>()).describe();
        assertTrue(description.contains(
                "  window 'counts' -> late-sink, toStream-4, counts.late (side output 'late')\n"), description);
        assertTrue(description.contains("  sideOutput 'counts.late' -> toStream-7, late-counts\n"), description);
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void lateRecordsCrossIntoAKeyedCountExactlyOnRocksDb(int parallelism) throws Exception {
        List<List<String>> partitions = new ArrayList<>();
        Map<String, Long> expected = new TreeMap<>();
        long late = 0;
        for (int p = 0; p < parallelism; p++) {
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                String key = "k" + (i % 5);
                events.add(key + "@" + i * 10);
                if (i % 7 == 6 && i > 200) { // a second ago: every window it belongs to has closed
                    events.add(key + "@" + (i * 10 - 1_000));
                    expected.merge(key, 1L, Long::sum);
                    late++;
                }
            }
            partitions.add(events);
        }
        Map<String, Long> latest = new ConcurrentHashMap<>();
        Topology topology = counting(CollectionSource.partitioned(partitions),
                (kv, ts) -> latest.put(kv.key(), kv.value()), new CollectingSink<>());
        try (Pipeline pipeline = new Pipeline(topology, PipelineConfig.defaults().withParallelism(parallelism)
                .withStateDirectory(directory).withStateCacheEntries(2))) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT), "the bounded run did not end");
            assertTrue(pipeline.failure().isEmpty(), () -> "failed: " + pipeline.failure());
            assertEquals(late, pipeline.lateRecords("counts"));
        }
        assertEquals(expected, new TreeMap<>(latest), "a late record was lost or counted twice");
    }
}
