package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.IntervalJoinReferenceModel.Rec;
import io.ringflow.IntervalJoinReferenceModel.Type;
import io.ringflow.collection.CollectingSink;
import io.ringflow.testing.TestRecord;
import io.ringflow.testing.TopologyTestDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random inputs (keys, out-of-order and late records on both sides, random interval and
 * join type) on the test driver and on a pipeline at parallelism 2 on RocksDB, against
 * {@link IntervalJoinReferenceModel}. On the driver, also: nothing a step emits is before the
 * watermark of that step (so not late downstream), and an unmatched record is out by the first
 * watermark past its interval. {@code -Dinterval.seed=N} replays one seed.
 */
class IntervalJoinDifferentialTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    /** One random case: the inputs in the order the driver pipes them, and the join's shape. */
    record Case(long seed, List<Rec> records, Type type, long before, long after, long outOfOrderness) {
        List<String> side(boolean left) {
            return records.stream().filter(r -> r.left() == left).map(Rec::line).toList();
        }

        String typeName() {
            return type.name().toLowerCase();
        }

        @Override
        public String toString() {
            return "seed " + seed + " (replay with -Dinterval.seed=" + seed + "): " + type + " join, between("
                    + before + ", " + after + "), out of order by " + outOfOrderness;
        }
    }

    static Case randomCase(long seed) {
        Random random = new Random(seed);
        Type type = Type.values()[random.nextInt(3)];
        long before = random.nextInt(4) == 0 ? 0 : random.nextInt(40);
        long after = random.nextInt(4) == 0 ? 0 : random.nextInt(40);
        long outOfOrderness = random.nextInt(30);
        int keys = 1 + random.nextInt(8);
        int count = 50 + random.nextInt(400);
        List<Rec> records = new ArrayList<>();
        long time = 1_000;
        for (int i = 0; i < count; i++) {
            time += random.nextInt(6);
            long jitter = random.nextInt(10) == 0 ? random.nextInt(3 * (int) outOfOrderness + 10)
                    : random.nextInt((int) outOfOrderness + 1);
            boolean left = random.nextBoolean();
            records.add(new Rec(left, "k" + random.nextInt(keys), time - jitter, (left ? "l" : "r") + i));
        }
        return new Case(seed, records, type, before, after, outOfOrderness);
    }

    static LongStream seeds(int count) {
        String replay = System.getProperty("interval.seed");
        return replay != null ? LongStream.of(Long.parseLong(replay)) : new Random().longs(count);
    }

    @Test
    void theDriverGivesTheModelsResultsForRandomInputs() {
        seeds(200).forEach(seed -> {
            Case c = randomCase(seed);
            try {
                List<String> actual = onDriver(c);
                Set<Rec> late = IntervalJoinReferenceModel.lateOnDriver(c.records(), c.outOfOrderness());
                assertEquals(IntervalJoinReferenceModel.results(c.records(), late, c.type(), c.before(), c.after()),
                        actual, c.toString());
            } catch (AssertionError | RuntimeException e) {
                System.err.println("IntervalJoinDifferentialTest failed on the driver for " + c);
                throw e;
            }
        });
    }

    private static List<String> onDriver(Case c) {
        Set<Rec> late = IntervalJoinReferenceModel.lateOnDriver(c.records(), c.outOfOrderness());
        List<String> unmatched = IntervalJoinReferenceModel.results(c.records(), late, c.type(), c.before(), c.after())
                .stream().filter(result -> result.contains("null")).toList();
        List<String> results = new ArrayList<>();
        try (TopologyTestDriver driver = IntervalJoinTest.driver(c.typeName(), c.before(), c.after(),
                c.outOfOrderness())) {
            for (Rec r : c.records()) {
                long watermark = driver.watermark();
                driver.input(r.left() ? "left" : "right").pipe(r.line());
                collect(driver, watermark, results);
                checkUnmatchedOut(c, unmatched, results, driver.watermark());
            }
            driver.advanceWatermark(Long.MAX_VALUE);
            collect(driver, driver.watermark(), results);
            assertEquals(late.size(), driver.lateRecords("join"), "late count, " + c);
        }
        results.sort(null);
        return results;
    }

    /** Takes the step's results, none of which may be before the watermark the step started from. */
    private static void collect(TopologyTestDriver driver, long watermark, List<String> results) {
        for (TestRecord<KeyValue<String, String>> record
                : driver.<KeyValue<String, String>>output("out").readRecordsToList()) {
            String line = record.value().key() + " " + record.value().value() + "@" + record.timestamp();
            assertTrue(watermark == Long.MAX_VALUE || record.timestamp() >= watermark,
                    line + " emitted behind the watermark " + watermark);
            results.add(line);
        }
    }

    /** Every unmatched result whose time (the end of its interval) the watermark has passed is out. */
    private static void checkUnmatchedOut(Case c, List<String> unmatched, List<String> results, long watermark) {
        for (String expected : unmatched) {
            if (Long.parseLong(expected.substring(expected.indexOf('@') + 1)) < watermark
                    && !results.contains(expected)) {
                throw new AssertionError(expected + " not out at watermark " + watermark + ", " + c);
            }
        }
    }

    @Test
    void aPipelineAtParallelismTwoOnRocksDbGivesTheModelsResultsForRandomInputs() throws Exception {
        long[] seeds = seeds(3).toArray();
        for (int i = 0; i < seeds.length; i++) {
            Case c = randomCase(seeds[i]);
            try {
                CollectingSink<KeyValue<String, String>> sink = new CollectingSink<>();
                Topology topology = IntervalJoinTest.topology(c.typeName(), c.before(), c.after(),
                        c.outOfOrderness(), sink, c.side(true), c.side(false));
                Set<Rec> late = IntervalJoinReferenceModel.latePerInput(c.records(), c.outOfOrderness());
                try (Pipeline pipeline = new Pipeline(topology, PipelineConfig.defaults().withParallelism(2)
                        .withStateDirectory(directory.resolve("run" + i)))) {
                    pipeline.start();
                    assertTrue(pipeline.awaitTermination(TIMEOUT), "the bounded inputs end the pipeline");
                    assertEquals(late.size(), pipeline.lateRecords("join"), "late count, " + c);
                }
                assertEquals(IntervalJoinReferenceModel.results(c.records(), late, c.type(), c.before(), c.after()),
                        IntervalJoinPipelineTest.lines(sink), c.toString());
            } catch (AssertionError | RuntimeException e) {
                System.err.println("IntervalJoinDifferentialTest failed on a pipeline for " + c);
                throw e;
            }
        }
    }
}
