package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.KeyValueStore;
import io.ringflow.state.Serdes;
import io.ringflow.state.TimerStore;
import io.ringflow.state.rocksdb.RocksDbStateBackend;
import io.ringflow.testing.TestInput;
import io.ringflow.testing.TestRecord;
import io.ringflow.testing.TopologyTestDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Named state in real pipelines, on RocksDB (behind its write-back cache) and on the heap, at
 * parallelism 1 and 2: random map, list and value commands, with and without TTL, give each key
 * the test driver's outputs in the driver's order; 10,000 keys' TTL state leaves no entry and
 * no cleanup timer in RocksDB once the input ends, while state without a TTL is all there.
 */
class NamedStatePipelineTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    static Topology topology(Source<String> source, Sink<KeyValue<String, String>> sink) {
        StreamBuilder builder = new StreamBuilder("named-state");
        builder.source("events", source, StateCommands.eventTime())
                .keyBy(StateCommands::key)
                .process(new StateCommands(), Named.as("process"))
                .to(sink, Named.as("out"));
        return builder.build();
    }

    /** What the driver emits for {@code commands}, by key, in order: the reference. */
    static Map<String, List<String>> driverOutputs(List<String> commands) {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(CollectionSource.of("x@0:v.get"),
                new CollectingSink<>()))) {
            TestInput<String> input = driver.input("events");
            for (String command : commands) {
                input.pipe(command);
            }
            driver.advanceWatermark(Long.MAX_VALUE);
            List<KeyValue<String, String>> out = new ArrayList<>();
            for (TestRecord<KeyValue<String, String>> record : driver.<KeyValue<String, String>>output("out")
                    .readRecordsToList()) {
                out.add(record.value());
            }
            return byKey(out);
        }
    }

    static Map<String, List<String>> byKey(List<KeyValue<String, String>> outputs) {
        Map<String, List<String>> byKey = new TreeMap<>();
        for (KeyValue<String, String> kv : outputs) {
            byKey.computeIfAbsent(kv.key(), k -> new ArrayList<>()).add(kv.value());
        }
        return byKey;
    }

    /**
     * The source's one reader runs its shard's chain and sends its watermark with every record,
     * so each keyed shard reads its state against the watermark the driver has there.
     */
    @ParameterizedTest(name = "parallelism {0}, {1} state")
    @CsvSource({"1, rocksdb", "2, rocksdb", "2, heap"})
    void randomCommandsGiveEachKeyTheDriversOutputs(int parallelism, String state) throws Exception {
        List<String> commands = StateReferenceModel.commands(42, 4_000, 12);
        CollectingSink<KeyValue<String, String>> sink = new CollectingSink<>();
        PipelineConfig config = PipelineConfig.defaults().withParallelism(parallelism)
                .withStateDirectory(directory.resolve("state"));
        if (state.equals("heap")) {
            config = config.withInMemoryState();
        }
        try (Pipeline pipeline = new Pipeline(topology(CollectionSource.of(commands), sink), config)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT), "the bounded input ends the pipeline");
        }
        Map<String, List<String>> expected = driverOutputs(commands);
        assertTrue(expected.size() == 12 && sink.size() > 1_000, expected.keySet() + ", " + sink.size());
        assertEquals(expected, byKey(sink.values()));
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void tenThousandKeysTtlStateLeavesNothingInRocksDbOnceTheInputEnds(int parallelism) throws Exception {
        List<String> commands = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String key = "k" + i;
            long time = i / 10;
            commands.add(key + "@" + time + ":tm.put=a=" + i);
            commands.add(key + "@" + time + ":tl.addall=p,q");
            commands.add(key + "@" + time + ":tv.set=" + i);
            commands.add(key + "@" + time + ":m.put=a=" + i);
        }
        CollectingSink<KeyValue<String, String>> sink = new CollectingSink<>();
        PipelineConfig config = PipelineConfig.defaults().withParallelism(parallelism).withStateDirectory(directory);
        try (Pipeline pipeline = new Pipeline(topology(CollectionSource.of(commands), sink), config)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        long kept = 0;
        try (RocksDbStateBackend state = new RocksDbStateBackend(directory, parallelism, 16L << 20, 0)) {
            for (int shard = 0; shard < parallelism; shard++) {
                for (String store : List.of("process.map.tm", "process.list.tl", "process.value.tv")) {
                    assertTrue(state.storeNames(shard).contains(store + ".ttl-event"),
                            state.storeNames(shard).toString());
                    assertEquals(0, count(state, shard, store), store + " on shard " + shard);
                    TimerStore<byte[]> timers = state.timerStore(shard, store + ".ttl-event", Serdes.byteArray());
                    assertEquals(Long.MAX_VALUE, timers.earliestTime(), store + " kept a cleanup timer");
                    timers.close();
                }
                kept += count(state, shard, "process.map.m");
            }
        }
        assertEquals(10_000, kept, "the map without a TTL keeps every key's entry: the count sees what is there");
    }

    private static long count(RocksDbStateBackend state, int shard, String name) {
        long entries = 0;
        try (KeyValueStore<byte[], byte[]> store = state.keyValueStore(shard, name, Serdes.byteArray(),
                Serdes.byteArray()); KeyValueIterator<byte[], byte[]> all = store.all()) {
            while (all.hasNext()) {
                all.next();
                entries++;
            }
        }
        return entries;
    }
}
