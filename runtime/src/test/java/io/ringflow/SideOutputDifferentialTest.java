package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.function.Collector;
import io.ringflow.function.KeyedProcessFunction;
import io.ringflow.function.ProcessFunction;
import io.ringflow.testing.TestRecord;
import io.ringflow.testing.TopologyTestDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Differential test of side outputs: seeded random records, routed by a seeded random rule
 * to the main output and two side outputs (none, one or several emissions per record, in a
 * random order), by an unkeyed and a keyed {@code process}; a keyed side output is counted and
 * another re-keyed onto another stage. Every output must equal the reference model's: the
 * exact sequence on the test driver, the exact multiset (values and timestamps) on pipelines at
 * parallelism 1 and 2 with RocksDB. The seed is {@code System.nanoTime()} unless
 * {@code -Dsideoutputs.seed=N}, and every failure names it.
 */
class SideOutputDifferentialTest {

    private static final long SEED = Long.getLong("sideoutputs.seed", System.nanoTime());
    private static final int RECORDS = 2_000;
    private static final int RESIDUES = 16;
    private static final int KEYS = 7;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final OutputTag<String> A = OutputTag.of("a", String.class);
    private static final OutputTag<Long> B = OutputTag.of("b", Long.class);

    /** Where one emission of a record goes. */
    enum To { MAIN, A, B }

    /** A record: its value and its event timestamp. */
    record In(int value, long timestamp) {
    }

    /** Where the topology runs: the test driver (0), or a pipeline at that parallelism. */
    enum Runner {
        DRIVER(0), P1(1), P2(2);

        final int parallelism;

        Runner(int parallelism) {
            this.parallelism = parallelism;
        }
    }

    private static final List<In> INPUT = new ArrayList<>();
    /** The rule: the emissions, in order, of a record whose value is r modulo {@link #RESIDUES}. */
    private static final List<List<To>> RULE = new ArrayList<>();

    static {
        Random random = new Random(SEED);
        for (int r = 0; r < RESIDUES; r++) {
            List<To> emissions = new ArrayList<>();
            int count = r == 0 ? 3 : random.nextInt(4);
            for (int i = 0; i < count; i++) {
                emissions.add(r == 0 ? To.values()[i] : To.values()[random.nextInt(3)]);
            }
            RULE.add(List.copyOf(emissions));
        }
        long timestamp = 0;
        for (int i = 0; i < RECORDS; i++) {
            timestamp += random.nextInt(5);
            INPUT.add(new In(random.nextInt(2_000) - 1_000, timestamp));
        }
    }

    @TempDir
    Path directory;

    @BeforeAll
    static void sayWhichSeed() {
        System.out.println("SideOutputDifferentialTest seed " + SEED + "; rule " + RULE); // passing runs name it too
    }

    private static List<To> emissionsOf(In in) {
        return RULE.get(Math.floorMod(in.value(), RESIDUES));
    }

    /** The rule as a function: each emission's value says its output (v, "a" + v, 2v). */
    private static void route(In in, ProcessFunction.Context ctx, Collector<Integer> out) {
        for (To to : emissionsOf(in)) {
            switch (to) {
                case MAIN -> out.collect(in.value());
                case A -> ctx.output(A, "a" + in.value());
                case B -> ctx.output(B, 2L * in.value());
            }
        }
    }

    private static final ProcessFunction<In, Integer> UNKEYED = SideOutputDifferentialTest::route;
    private static final KeyedProcessFunction<Integer, In, Integer> KEYED = SideOutputDifferentialTest::route;

    /** Every sink of the topology, by name, in the order {@link #topology} adds them. */
    private static final List<String> SINKS = List.of("main", "a", "b", "keyed-main", "a-counts", "b-rekeyed",
            "a-merged");

    private static Topology topology(Source<In> source, Map<String, CollectingSink<Object>> sinks) {
        StreamBuilder builder = new StreamBuilder("side-differential");
        EventStream<In> in = builder.source("in", source);
        EventStream<Integer> main = in.process(UNKEYED, Named.as("route"));
        main.to(sink(sinks, "main"), Named.as("main"));
        main.sideOutput(A).to(sink(sinks, "a"), Named.as("a"));
        main.sideOutput(B).map(b -> b).to(sink(sinks, "b"), Named.as("b"));
        KeyedStream<Integer, Integer> keyed = in.keyBy(r -> Math.floorMod(r.value(), KEYS), Named.as("by-key"))
                .process(KEYED, Named.as("keyed-route"));
        keyed.to(sink(sinks, "keyed-main"), Named.as("keyed-main"));
        keyed.sideOutput(A).count(Named.as("a-count")).to(sink(sinks, "a-counts"), Named.as("a-counts"));
        keyed.sideOutput(B).keyBy(b -> Math.floorMod(b, 3L), Named.as("b-rekey"))
                .to(sink(sinks, "b-rekeyed"), Named.as("b-rekeyed"));
        // Side outputs of two stages merged: a stage of its own, fed shard to shard by each.
        main.sideOutput(A).merge(keyed.sideOutput(A).toStream().map(kv -> "k" + kv.value()))
                .to(sink(sinks, "a-merged"), Named.as("a-merged"));
        return builder.build();
    }

    private static CollectingSink<Object> sink(Map<String, CollectingSink<Object>> sinks, String name) {
        return sinks.computeIfAbsent(name, n -> new CollectingSink<>());
    }

    /** What each sink must receive, in order, by the rule applied to the input one record at a time. */
    private static Map<String, List<TestRecord<Object>>> referenceModel() {
        Map<String, List<TestRecord<Object>>> expected = new LinkedHashMap<>();
        SINKS.forEach(name -> expected.put(name, new ArrayList<>()));
        Map<Integer, Long> aCounts = new HashMap<>();
        for (In in : INPUT) {
            int key = Math.floorMod(in.value(), KEYS);
            // On the driver the unkeyed process runs first (the source stream's first reader), then
            // the keyed one, after its keyBy.
            long as = emissionsOf(in).stream().filter(to -> to == To.A).count();
            for (String prefix : List.of("a", "ka")) {
                for (long a = 0; a < as; a++) {
                    add(expected, "a-merged", prefix + in.value(), in);
                }
            }
            for (To to : emissionsOf(in)) {
                switch (to) {
                    case MAIN -> {
                        add(expected, "main", in.value(), in);
                        add(expected, "keyed-main", KeyValue.of(key, in.value()), in);
                    }
                    case A -> {
                        add(expected, "a", "a" + in.value(), in);
                        add(expected, "a-counts", KeyValue.of(key, aCounts.merge(key, 1L, Long::sum)), in);
                    }
                    case B -> {
                        add(expected, "b", 2L * in.value(), in);
                        long b = 2L * in.value();
                        add(expected, "b-rekeyed", KeyValue.of(Math.floorMod(b, 3L), b), in);
                    }
                }
            }
        }
        return expected;
    }

    private static void add(Map<String, List<TestRecord<Object>>> outputs, String sink, Object value, In in) {
        outputs.get(sink).add(new TestRecord<>(value, in.timestamp()));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Runner.class)
    void everyOutputEqualsTheReferenceModel(Runner runner) throws Exception {
        Map<String, List<TestRecord<Object>>> expected = referenceModel();
        assertTrue(expected.values().stream().allMatch(records -> records.size() > 50),
                "seed " + SEED + ": the rule gives every output records");
        Map<String, List<TestRecord<Object>>> actual =
                runner == Runner.DRIVER ? onDriver() : onPipeline(runner.parallelism);
        for (String sink : SINKS) {
            if (runner == Runner.DRIVER) {
                assertEquals(expected.get(sink), actual.get(sink), () -> mismatch(sink, "sequence", runner, ""));
                continue;
            }
            // Shards and readers interleave as threads run, so each output must be exact as a
            // multiset; a running count is exact in its values (1..n per key, each once), while
            // which record's timestamp a count carries depends on how the two readers interleaved.
            boolean valuesOnly = sink.equals("a-counts") && runner.parallelism > 1;
            Map<String, Long> want = multiset(expected.get(sink), valuesOnly);
            Map<String, Long> got = multiset(actual.get(sink), valuesOnly);
            if (!want.equals(got)) {
                fail(mismatch(sink, "multiset", runner, "; missing " + firstOf(minus(want, got))
                        + ", extra " + firstOf(minus(got, want))));
            }
        }
    }

    private static String mismatch(String sink, String what, Runner runner, String detail) {
        return "seed " + SEED + " (replay with -Dsideoutputs.seed=" + SEED + "): the " + what + " of output '" + sink
                + "' on " + runner + " differs from the reference model" + detail + "; rule " + RULE;
    }

    private static Map<String, Long> multiset(List<TestRecord<Object>> records, boolean valuesOnly) {
        return records.stream().collect(Collectors.groupingBy(
                r -> valuesOnly ? String.valueOf(r.value()) : r.toString(), TreeMap::new, Collectors.counting()));
    }

    /** What {@code a} holds more often than {@code b}, with how many more. */
    private static Map<String, Long> minus(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> more = new TreeMap<>();
        a.forEach((record, n) -> {
            long surplus = n - b.getOrDefault(record, 0L);
            if (surplus > 0) {
                more.put(record, surplus);
            }
        });
        return more;
    }

    private static String firstOf(Map<String, Long> records) {
        return records.size() + " distinct " + records.entrySet().stream().limit(10).toList();
    }

    private static Map<String, List<TestRecord<Object>>> onDriver() {
        Map<String, List<TestRecord<Object>>> actual = new LinkedHashMap<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(CollectionSource.of(), new HashMap<>()))) {
            for (In in : INPUT) {
                driver.<In>input("in").pipe(in, in.timestamp());
            }
            for (String sink : SINKS) {
                actual.put(sink, driver.<Object>output(sink).readRecordsToList());
            }
        }
        return actual;
    }

    private Map<String, List<TestRecord<Object>>> onPipeline(int parallelism) throws InterruptedException {
        List<List<In>> partitions = new ArrayList<>();
        for (int p = 0; p < parallelism; p++) {
            partitions.add(new ArrayList<>());
        }
        for (int i = 0; i < INPUT.size(); i++) {
            partitions.get(i % parallelism).add(INPUT.get(i));
        }
        Map<String, CollectingSink<Object>> sinks = new HashMap<>();
        Topology topology = topology(CollectionSource.partitioned(partitions).withTimestamps(In::timestamp), sinks);
        try (Pipeline pipeline = new Pipeline(topology, PipelineConfig.defaults().withParallelism(parallelism)
                .withStateDirectory(directory).withStateCacheEntries(2))) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT), "seed " + SEED + ": the bounded run did not end");
            assertTrue(pipeline.failure().isEmpty(), () -> "seed " + SEED + ": " + pipeline.failure());
        }
        Map<String, List<TestRecord<Object>>> actual = new LinkedHashMap<>();
        for (String sink : SINKS) {
            actual.put(sink, sinks.get(sink).records());
        }
        return actual;
    }
}
