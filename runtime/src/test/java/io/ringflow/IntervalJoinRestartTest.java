package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.IntervalJoinReferenceModel.Rec;
import io.ringflow.IntervalJoinReferenceModel.Type;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The join's buffers are state: an outer join checkpointed twice with records buffered (some
 * matched, some waiting to be emitted unmatched; some written by the first checkpoint and matched
 * before the second), which then joins and emits more before it crashes,
 * restarts from the checkpoint and gives, in a sink that commits with checkpoints, exactly the
 * results of a run that never stopped: no result lost, none emitted twice.
 */
class IntervalJoinRestartTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int PER_SIDE = 3_000;
    private static final List<String> LEFT = lines(true, 11);
    private static final List<String> RIGHT = lines(false, 12);

    @TempDir
    Path directory;

    /** Records of 400 keys about 3 ms apart, out of order by up to 10 ms, one in 50 later than that (late). */
    private static List<String> lines(boolean left, long seed) {
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < PER_SIDE; i++) {
            long time = 1_000 + 3L * i - (random.nextInt(50) == 0 ? 15 + random.nextInt(20) : random.nextInt(11));
            lines.add("k" + random.nextInt(400) + "," + time + "," + (left ? "l" : "r") + i);
        }
        return lines;
    }

    /** The run's controls: how far both sources may emit, where each is, and whether to crash there. */
    private static final class Run {
        final AtomicInteger limit;
        final AtomicInteger[] next = {new AtomicInteger(), new AtomicInteger()};
        final AtomicInteger[] resumedAt = {new AtomicInteger(), new AtomicInteger()};
        final AtomicBoolean crash = new AtomicBoolean();

        Run(int limit) {
            this.limit = new AtomicInteger(limit);
        }

        boolean bothAt(int position) {
            return next[0].get() == position && next[1].get() == position;
        }
    }

    /** Emits {@code lines} from its restored position up to the limit; then waits, or throws on a crash. */
    private static Source<String> source(List<String> lines, Run run, int side) {
        AtomicInteger next = run.next[side];
        return context -> {
            next.set(context.restoredPosition().map(b -> ByteBuffer.wrap(b).getInt()).orElse(0));
            run.resumedAt[side].set(next.get());
            context.positionForCheckpoints(id -> ByteBuffer.allocate(4).putInt(next.get()).array());
            while (context.isRunning() && next.get() < lines.size()) {
                if (next.get() < run.limit.get()) {
                    context.emit(lines.get(next.get()));
                    next.incrementAndGet();
                } else if (run.crash.get()) {
                    throw new IllegalStateException("crash");
                } else {
                    Thread.sleep(1);
                }
            }
        };
    }

    private static TransactionLog<KeyValue<String, String>, String> log() {
        return TransactionLog.formatted((result, t) -> result.key() + " " + result.value() + "@" + t);
    }

    private static Pipeline pipeline(Path state, Run run, TransactionLog<KeyValue<String, String>, String> sink,
                                     int parallelism) {
        StreamBuilder builder = new StreamBuilder("restarted-join");
        KeyedStream<String, String> left = builder.source("left", source(LEFT, run, 0), IntervalJoinTest.eventTime(10))
                .keyBy(IntervalJoinTest::key);
        KeyedStream<String, String> right = builder.source("right", source(RIGHT, run, 1),
                IntervalJoinTest.eventTime(10)).keyBy(IntervalJoinTest::key);
        left.intervalJoin(right).between(Duration.ofMillis(20), Duration.ofMillis(300))
                .outerJoin(IntervalJoinTest.NAMES, Named.as("join"))
                .to(sink, Named.as("out"));
        return new Pipeline(builder.build(), PipelineConfig.defaults().withParallelism(parallelism)
                .withStateDirectory(state).withCheckpointing(Duration.ZERO));
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void aRestartFromACheckpointInTheMiddleOfTheJoinGivesTheResultsOfARunWithoutIt(int parallelism)
            throws Exception {
        TransactionLog<KeyValue<String, String>, String> reference = log();
        try (Pipeline pipeline = pipeline(directory.resolve("reference"), new Run(PER_SIDE), reference, parallelism)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        List<Rec> records = IntervalJoinPipelineTest.records(LEFT, RIGHT);
        assertEquals(IntervalJoinReferenceModel.results(records, IntervalJoinReferenceModel.latePerInput(records, 10),
                Type.OUTER, 20, 300), reference.sorted(), "the uninterrupted run");

        TransactionLog<KeyValue<String, String>, String> log = log();
        Path state = directory.resolve("restarted");
        Run crashing = new Run(1_500);
        try (Pipeline pipeline = pipeline(state, crashing, log, parallelism)) {
            pipeline.start();
            awaitTrue(() -> crashing.bothAt(1_500));
            assertEquals(1, pipeline.checkpoint(TIMEOUT));
            // Records written by checkpoint 1 are matched after it, and still wait 150 ms of event
            // time later: checkpoint 2 must hold their flags.
            crashing.limit.set(1_550);
            awaitTrue(() -> crashing.bothAt(1_550));
            assertEquals(2, pipeline.checkpoint(TIMEOUT));
            // After the checkpoint, pairs and unmatched records are emitted: the restart must roll all of it back.
            crashing.limit.set(2_500);
            awaitTrue(() -> crashing.bothAt(2_500));
            Thread.sleep(50); // let the join emit what those records make due
            crashing.crash.set(true); // a failed pipeline takes no final checkpoint
            assertThrows(PipelineFailedException.class, () -> pipeline.awaitTermination(TIMEOUT));
        }
        int committedBeforeCrash = log.committed.size();
        assertTrue(committedBeforeCrash > 0, "the checkpoints committed results");

        Run restarted = new Run(PER_SIDE);
        try (Pipeline pipeline = pipeline(state, restarted, log, parallelism)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(1_550, restarted.resumedAt[0].get(), "resumed at checkpoint 2");
        assertEquals(1_550, restarted.resumedAt[1].get(), "resumed at checkpoint 2");
        assertEquals(reference.sorted(), log.sorted(), "a result lost or emitted twice across the restart");
        List<String> afterRestart = log.committed.subList(committedBeforeCrash, log.committed.size());
        assertTrue(afterRestart.stream().anyMatch(r -> r.contains("null") && number(r) < 1_550),
                "no record buffered before the checkpoint was emitted unmatched after it: the test proves nothing");
        assertTrue(afterRestart.stream()
                        .anyMatch(r -> !r.contains("null") && (number(r) < 1_550) != (other(r) < 1_550)),
                "no pair of a record from before the checkpoint and one from after: the test proves nothing");
    }

    /** The index of a result's first named record ("k1 l12+r15@..." gives 12). */
    private static int number(String result) {
        String names = result.substring(result.indexOf(' ') + 1, result.indexOf('@'));
        String first = names.startsWith("null") ? names.substring(names.indexOf('+') + 1) : names.split("\\+")[0];
        return Integer.parseInt(first.substring(1));
    }

    /** The index of a pair's right record. */
    private static int other(String result) {
        String names = result.substring(result.indexOf(' ') + 1, result.indexOf('@'));
        return Integer.parseInt(names.split("\\+")[1].substring(1));
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(5);
        }
    }
}
