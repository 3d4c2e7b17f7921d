package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.internal.plan.KeyRouting;
import io.ringflow.state.InferredSerde;
import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.KeyValueStore;
import io.ringflow.state.Serde;
import io.ringflow.state.Serdes;
import io.ringflow.state.StateException;
import io.ringflow.state.StoreEntry;
import io.ringflow.state.rocksdb.RocksDbStateBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keyed operators on RocksDB through the real pipeline: restart, shard ownership, serdes, clean-up. */
class StatefulPipelineTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path stateDirectory;

    @ParameterizedTest(name = "cache entries {0}")
    @ValueSource(ints = {0, 10_000})
    void countsContinueWhereTheyStoppedAfterARestart(int cacheEntries) throws Exception {
        PipelineConfig config = PipelineConfig.defaults().withParallelism(2).withStateDirectory(stateDirectory)
                .withStateCacheEntries(cacheEntries);

        Map<String, Long> first = finalCounts(run(wordCount(List.of("a", "b", "a", "c", "a")), config));
        assertEquals(Map.of("a", 3L, "b", 1L, "c", 1L), first);

        Map<String, Long> second = finalCounts(run(wordCount(List.of("a", "c", "d")), config));
        assertEquals(Map.of("a", 4L, "c", 2L, "d", 1L), second);
    }

    @Test
    void eachShardsDatabaseHoldsExactlyTheKeysThatShardOwns() throws Exception {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            words.add("w" + (i % 300));
        }
        run(wordCount(words), PipelineConfig.defaults().withParallelism(3).withStateDirectory(stateDirectory));

        Set<String> seen = new HashSet<>();
        try (RocksDbStateBackend backend = new RocksDbStateBackend(stateDirectory, 3, 16L << 20, 0)) {
            for (int shard = 0; shard < 3; shard++) {
                KeyValueStore<String, Long> store = backend.keyValueStore(shard, "counts",
                        new InferredSerde<>("counts", "key"), Serdes.longs());
                try (KeyValueIterator<String, Long> it = store.all()) {
                    while (it.hasNext()) {
                        StoreEntry<String, Long> entry = it.next();
                        assertEquals(KeyRouting.shardOf(entry.key(), 3), shard, entry.key() + " is on the wrong shard");
                        assertEquals(10L, entry.value(), "count of " + entry.key());
                        assertTrue(seen.add(entry.key()), entry.key() + " is on two shards");
                    }
                }
                store.close();
            }
        }
        assertEquals(300, seen.size());
    }

    @Test
    void anInMemoryOperatorForgetsOnRestartWhileRocksDbRemembers() throws Exception {
        PipelineConfig config = PipelineConfig.defaults().withStateDirectory(stateDirectory);
        for (int run = 1; run <= 2; run++) {
            CollectingSink<KeyValue<String, Long>> durable = new CollectingSink<>();
            CollectingSink<KeyValue<String, Long>> volatileCounts = new CollectingSink<>();
            StreamBuilder builder = new StreamBuilder("mixed");
            KeyedStream<String, String> words = builder.source("words", CollectionSource.of("x", "x")).keyBy(w -> w);
            words.count(Named.as("durable")).to(durable);
            words.count(Named.as("volatile"), Materialized.inMemory()).to(volatileCounts);
            try (Pipeline pipeline = new Pipeline(builder.build(), config)) {
                pipeline.start();
                assertTrue(pipeline.awaitTermination(TIMEOUT));
            }
            assertEquals(List.of(KeyValue.of("x", 2L * run - 1), KeyValue.of("x", 2L * run)), durable.values());
            assertEquals(List.of(KeyValue.of("x", 1L), KeyValue.of("x", 2L)), volatileCounts.values());
        }
    }

    @Test
    void keyedProcessStateIsPerKeyAndSurvivesARestart() throws Exception {
        PipelineConfig config = PipelineConfig.defaults().withParallelism(2).withStateDirectory(stateDirectory);
        List<List<String>> runs = List.of(
                List.of("AAPL=10", "MSFT=5", "AAPL=10", "AAPL=11", "MSFT=5"),
                List.of("AAPL=11", "MSFT=6", "AAPL=10"));
        List<List<String>> changes = new ArrayList<>();
        for (List<String> ticks : runs) {
            CollectingSink<KeyValue<String, String>> sink = new CollectingSink<>();
            StreamBuilder builder = new StreamBuilder("changes");
            builder.source("ticks", CollectionSource.of(ticks))
                    .keyBy(t -> t.split("=")[0])
                    .map(t -> Double.parseDouble(t.split("=")[1]))
                    .<String>process((price, ctx, out) -> {
                        io.ringflow.function.ValueState<Double> last = ctx.state();
                        if (!price.equals(last.value())) {
                            out.collect(last.value() + "->" + price);
                            last.update(price);
                        }
                    }, Named.as("last-price"))
                    .to(sink);
            try (Pipeline pipeline = new Pipeline(builder.build(), config)) {
                pipeline.start();
                assertTrue(pipeline.awaitTermination(TIMEOUT));
            }
            List<String> run = new ArrayList<>();
            sink.values().forEach(kv -> run.add(kv.key() + ":" + kv.value()));
            run.sort(null);
            changes.add(run);
        }
        assertEquals(List.of("AAPL:10.0->11.0", "AAPL:null->10.0", "MSFT:null->5.0"), changes.get(0));
        assertEquals(List.of("AAPL:11.0->10.0", "MSFT:5.0->6.0"), changes.get(1));
    }

    record Vwap(double notional, long volume) {
        Vwap add(double price, long quantity) {
            return new Vwap(notional + price * quantity, volume + quantity);
        }
    }

    @Test
    void aggregateOfARecordTypeNeedsASerdeAndSaysHowToGiveOne() throws Exception {
        StreamBuilder builder = new StreamBuilder("vwap");
        builder.source("trades", CollectionSource.of("AAPL:10:100"))
                .keyBy(t -> t.split(":")[0])
                .aggregate(() -> new Vwap(0, 0), (symbol, t, vwap) -> vwap.add(Double.parseDouble(t.split(":")[1]),
                        Long.parseLong(t.split(":")[2])), Named.as("vwap"))
                .to(new CollectingSink<>());
        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withStateDirectory(stateDirectory))) {
            pipeline.start();
            PipelineFailedException failure = assertThrows(PipelineFailedException.class,
                    () -> pipeline.awaitTermination(TIMEOUT));
            assertInstanceOf(StateException.class, failure.getCause());
            assertTrue(failure.getCause().getMessage().startsWith("store 'vwap': no serde for values of type "
                    + Vwap.class.getName() + "; Ringflow infers serdes only for String, Long, Integer, Double and"
                    + " byte[]. Declare one with Materialized.with(keySerde, valueSerde)"), failure.getCause().getMessage());
        }
    }

    @Test
    void aggregateWithADeclaredSerdeSurvivesARestart() throws Exception {
        Serde<Vwap> vwapSerde = Serdes.of("Vwap", (v, out) -> {
            out.writeDouble(v.notional());
            out.writeLong(v.volume());
        }, in -> new Vwap(in.readDouble(), in.readLong()));
        PipelineConfig config = PipelineConfig.defaults().withStateDirectory(stateDirectory);
        List<KeyValue<String, Vwap>> last = null;
        for (String trade : List.of("AAPL:10:100", "AAPL:20:300")) {
            CollectingSink<KeyValue<String, Vwap>> sink = new CollectingSink<>();
            StreamBuilder builder = new StreamBuilder("vwap");
            builder.source("trades", CollectionSource.of(trade))
                    .keyBy(t -> t.split(":")[0])
                    .aggregate(() -> new Vwap(0, 0), (symbol, t, vwap) -> vwap.add(Double.parseDouble(t.split(":")[1]),
                            Long.parseLong(t.split(":")[2])), Named.as("vwap"), Materialized.with(Serdes.string(), vwapSerde))
                    .to(sink);
            try (Pipeline pipeline = new Pipeline(builder.build(), config)) {
                pipeline.start();
                assertTrue(pipeline.awaitTermination(TIMEOUT));
            }
            last = sink.values();
        }
        assertEquals(List.of(KeyValue.of("AAPL", new Vwap(7_000, 400))), last);
    }

    @Test
    void withoutAStateDirectoryStateLivesInATemporaryDirectoryDeletedOnClose() throws Exception {
        Set<Path> before = temporaryStateDirectories();
        run(wordCount(List.of("a", "b")), PipelineConfig.defaults());
        new Pipeline(wordCount(List.of("never started")).topology(), PipelineConfig.defaults()).close();
        assertEquals(before, temporaryStateDirectories());
    }

    private static Set<Path> temporaryStateDirectories() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return new HashSet<>(files.filter(p -> p.getFileName().toString().startsWith("ringflow-counting-")).toList());
        }
    }

    /** A running word count whose output is kept for the test to read. */
    private record Counting(Topology topology, CollectingSink<KeyValue<String, Long>> sink) {
    }

    private static Counting wordCount(List<String> words) {
        CollectingSink<KeyValue<String, Long>> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("counting");
        builder.source("words", CollectionSource.of(words)).keyBy(w -> w).count(Named.as("counts")).to(sink);
        return new Counting(builder.build(), sink);
    }

    private static List<KeyValue<String, Long>> run(Counting counting, PipelineConfig config) throws Exception {
        try (Pipeline pipeline = new Pipeline(counting.topology(), config)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        return counting.sink().values();
    }

    private static Map<String, Long> finalCounts(List<KeyValue<String, Long>> updates) {
        Map<String, Long> counts = new HashMap<>();
        updates.forEach(kv -> counts.merge(kv.key(), kv.value(), Math::max));
        return counts;
    }
}
