package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.IntervalJoinReferenceModel.Rec;
import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.testing.TestRecord;
import io.ringflow.windowing.TumblingWindows;
import io.ringflow.windowing.Windowed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The interval join in a threaded pipeline on RocksDB, at parallelism 1 and 2: out-of-order and
 * late records on both inputs give exactly the results the rules give, whatever thread timing.
 * A record is late here when it is before its own input's watermark (20 ms behind that input).
 */
class IntervalJoinPipelineTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    static final List<String> LEFT = List.of("A,100,a1", "B,100,c1", "A,130,a2",
            "A,112,a3",  // out of order, not late: the left watermark is 110
            "A,105,a4",  // late: before 110
            "C,300,e1");
    static final List<String> RIGHT = List.of("A,60,b0", "A,95,b1", "A,140,b2",
            "A,121,b3",  // out of order, at the right watermark 120
            "B,50,d0",   // late
            "C,305,f1",
            "A,111,b4"); // late: the right watermark is 285

    /** With the write-back cache off, every read is a fresh copy: a matched flag counts only if it is written. */
    @ParameterizedTest(name = "{0} join, parallelism {1}, cache entries {2}")
    @CsvSource({"inner, 1, -1", "inner, 2, -1", "left, 1, -1", "left, 2, -1", "outer, 1, -1", "outer, 2, -1",
            "left, 2, 0", "outer, 1, 0"})
    void outOfOrderAndLateRecordsOnBothInputsGiveExactlyTheRulesResults(String type, int parallelism, int cache)
            throws Exception {
        List<String> expected = new ArrayList<>(List.of("A a1+b1@100", "A a2+b2@140", "A a3+b3@121", "C e1+f1@305"));
        if (!type.equals("inner")) {
            expected.add("B c1+null@110");
        }
        if (type.equals("outer")) {
            expected.add("A null+b0@65");
        }
        expected.sort(null);
        List<Rec> records = records(LEFT, RIGHT);
        assertEquals(expected, IntervalJoinReferenceModel.results(records,
                IntervalJoinReferenceModel.latePerInput(records, 20), IntervalJoinReferenceModel.Type.valueOf(
                        type.toUpperCase()), 5, 10), "the reference model agrees with the hand-written results");

        CollectingSink<KeyValue<String, String>> sink = new CollectingSink<>();
        PipelineConfig config = PipelineConfig.defaults().withParallelism(parallelism).withStateDirectory(directory);
        try (Pipeline pipeline = new Pipeline(IntervalJoinTest.topology(type, 5, 10, 20, sink, LEFT, RIGHT),
                cache < 0 ? config : config.withStateCacheEntries(cache))) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT), "the bounded inputs end the pipeline");
            assertEquals(3, pipeline.lateRecords("join"));
        }
        assertEquals(expected, lines(sink));
    }

    /**
     * Results of a left join, re-keyed into 2 ms windows in the next stage: none is late there,
     * though the watermark that emits the unmatched ones moves on to that stage right behind
     * them, and the record whose watermark does it sends its own pairs first. (Without the
     * record's pairs held back to the watermark before it, 54 of them were late at parallelism 1.)
     */
    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void unmatchedResultsAreNotLateInAWindowOfTheNextStage(int parallelism) throws Exception {
        List<Rec> records = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 4_000; i++) {
            boolean left = random.nextBoolean();
            long time = 1_000 + i - random.nextInt(5);
            records.add(new Rec(left, "k" + random.nextInt(20), time, (left ? "l" : "r") + i));
        }
        List<String> left = records.stream().filter(Rec::left).map(Rec::line).toList();
        List<String> right = records.stream().filter(r -> !r.left()).map(Rec::line).toList();
        StreamBuilder builder = new StreamBuilder("join-then-window");
        KeyedStream<String, String> l = builder.source("left", CollectionSource.of(left), IntervalJoinTest.eventTime(5))
                .keyBy(IntervalJoinTest::key);
        KeyedStream<String, String> r = builder.source("right", CollectionSource.of(right),
                IntervalJoinTest.eventTime(5)).keyBy(IntervalJoinTest::key);
        CollectingSink<KeyValue<Windowed<String>, Long>> counts = new CollectingSink<>();
        l.intervalJoin(r).between(Duration.ofMillis(3), Duration.ofMillis(40))
                .leftJoin(IntervalJoinTest.NAMES, Named.as("join"))
                .toStream()
                .keyBy(result -> result.value().contains("null") ? "unmatched" : "pairs")
                .window(TumblingWindows.of(Duration.ofMillis(2)))
                .count(Named.as("per-2ms"))
                .toStream().to(counts, Named.as("counts"));
        List<String> expected = IntervalJoinReferenceModel.results(records,
                IntervalJoinReferenceModel.latePerInput(records, 5), IntervalJoinReferenceModel.Type.LEFT, 3, 40);
        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withParallelism(parallelism)
                .withStateDirectory(directory))) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT), "the bounded inputs end the pipeline");
            assertEquals(0, pipeline.lateRecords("per-2ms"), "join results late in the next stage's window");
        }
        Map<String, Long> total = new TreeMap<>();
        Map<String, Long> last = new TreeMap<>();
        for (KeyValue<Windowed<String>, Long> count : counts.values()) {
            last.put(count.key().key() + "@" + count.key().window().start(), count.value());
        }
        last.forEach((window, count) -> total.merge(window.substring(0, window.indexOf('@')), count, Long::sum));
        long unmatched = expected.stream().filter(result -> result.contains("null")).count();
        assertTrue(unmatched > 100, unmatched + " unmatched results: the test proves little");
        assertEquals(Map.of("pairs", expected.size() - unmatched, "unmatched", unmatched), total);
    }

    /** A stream joined with a map of itself: the join reads the keyBy on an edge of its own, the map forward. */
    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void aStreamJoinsItsOwnCopy(int parallelism) throws Exception {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            events.add("k" + i % 7 + "," + (10 * i) + ",e" + i);
        }
        StreamBuilder builder = new StreamBuilder("self");
        KeyedStream<String, String> keyed = builder.source("events", CollectionSource.of(events),
                IntervalJoinTest.eventTime(0)).keyBy(IntervalJoinTest::key);
        CollectingSink<KeyValue<String, String>> sink = new CollectingSink<>();
        keyed.intervalJoin(keyed.map(event -> event)).between(Duration.ofMillis(70), Duration.ZERO)
                .join(IntervalJoinTest.NAMES, Named.as("join")).to(sink, Named.as("out"));
        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withParallelism(parallelism)
                .withStateDirectory(directory))) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT), "the bounded input ends the pipeline");
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add("k" + i % 7 + " e" + i + "+e" + i + "@" + 10 * i);       // itself
            if (i >= 7) {
                expected.add("k" + i % 7 + " e" + i + "+e" + (i - 7) + "@" + 10 * i); // the key's record 70 ms before
            }
        }
        expected.sort(null);
        assertEquals(expected, lines(sink));
    }

    static List<Rec> records(List<String> left, List<String> right) {
        List<Rec> records = new ArrayList<>();
        left.forEach(line -> records.add(rec(true, line)));
        right.forEach(line -> records.add(rec(false, line)));
        return records;
    }

    static Rec rec(boolean left, String line) {
        return new Rec(left, IntervalJoinTest.key(line), IntervalJoinTest.time(line), IntervalJoinTest.name(line));
    }

    /** The sink's records as {@code "key left+right@timestamp"}, sorted: threads interleave keys' results. */
    static List<String> lines(CollectingSink<KeyValue<String, String>> sink) {
        List<String> lines = new ArrayList<>();
        for (TestRecord<KeyValue<String, String>> record : sink.records()) {
            lines.add(record.value().key() + " " + record.value().value() + "@" + record.timestamp());
        }
        lines.sort(null);
        return lines;
    }
}
