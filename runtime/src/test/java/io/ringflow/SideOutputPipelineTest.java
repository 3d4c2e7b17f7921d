package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.function.ProcessFunction;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Side outputs in the threaded pipeline with RocksDB state: a side output crosses a
 * {@code keyBy} into a keyed count on another stage, and every record is counted exactly once,
 * through a clean restart and through a crash that rolls back to a checkpoint.
 */
class SideOutputPipelineTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int KEYS = 10;
    private static final OutputTag<String> ODD = OutputTag.of("odd", String.class);
    private static final OutputTag<String> EXTRA = OutputTag.of("extra", String.class);

    /** Keys k0, k2, ... to the main output; k1, k3, ... to "odd"; k0, k3, k6, k9 also to "extra", renamed. */
    private static final ProcessFunction<String, String> SPLIT = (key, ctx, out) -> {
        int index = Integer.parseInt(key.substring(1));
        if (index % 2 == 0) {
            out.collect(key);
        } else {
            ctx.output(ODD, key);
        }
        if (index % 3 == 0) {
            ctx.output(EXTRA, "extra-" + key);
        }
    };

    @TempDir
    Path directory;

    /** Each key's last count, per output, as the sinks of the last run saw them. */
    private final Map<String, Long> main = new ConcurrentHashMap<>();
    private final Map<String, Long> side = new ConcurrentHashMap<>();

    private Pipeline splitting(Source<String> source, int parallelism, CollectingSink<String> oddValues) {
        StreamBuilder builder = new StreamBuilder("split-counts");
        EventStream<String> evens = builder.source("log", source).process(SPLIT, Named.as("split"));
        evens.keyBy(s -> s, Named.as("main-by-key")).count(Named.as("main-counts")).toStream()
                .to((kv, ts) -> main.put(kv.key(), kv.value()), Named.as("main"));
        // The odd side output is merged with the extra one, so both cross one keyBy into one count.
        evens.sideOutput(ODD).merge(evens.sideOutput(EXTRA))
                .keyBy(s -> s, Named.as("side-by-key")).count(Named.as("side-counts")).toStream()
                .to((kv, ts) -> side.put(kv.key(), kv.value()), Named.as("side"));
        evens.sideOutput(ODD).to(oddValues, Named.as("odd-values"));
        return new Pipeline(builder.build(), PipelineConfig.defaults().withParallelism(parallelism)
                .withStateDirectory(directory).withCheckpointing(Duration.ZERO).withCheckpointsRetained(2));
    }

    /** What each output's count ends at after {@code records} records spread over k0..k9. */
    private static Map<String, Long> expectedMain(long perKey) {
        return counts(perKey, k -> k % 2 == 0 ? List.of("k" + k) : List.of());
    }

    private static Map<String, Long> expectedSide(long perKey) {
        return counts(perKey, k -> {
            List<String> keys = new ArrayList<>();
            if (k % 2 == 1) {
                keys.add("k" + k);
            }
            if (k % 3 == 0) {
                keys.add("extra-k" + k);
            }
            return keys;
        });
    }

    private static Map<String, Long> counts(long perKey, Function<Integer, List<String>> outputsOfKey) {
        Map<String, Long> expected = new TreeMap<>();
        for (int k = 0; k < KEYS; k++) {
            for (String key : outputsOfKey.apply(k)) {
                expected.put(key, perKey);
            }
        }
        return expected;
    }

    private void runToEnd(Source<String> source, int parallelism, CollectingSink<String> oddValues)
            throws InterruptedException {
        main.clear();
        side.clear();
        try (Pipeline pipeline = splitting(source, parallelism, oddValues)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT), "the bounded run did not end");
            assertTrue(pipeline.failure().isEmpty(), () -> "failed: " + pipeline.failure());
        }
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void aSideOutputCrossingAKeyByIsCountedExactlyAndKeepsItsStateAcrossARestart(int parallelism) throws Exception {
        ReplayableLog log = new ReplayableLog(parallelism).append(1_000, KEYS);
        CollectingSink<String> oddValues = new CollectingSink<>();
        runToEnd(log.bounded(), parallelism, oddValues);
        assertEquals(expectedMain(100), new TreeMap<>(main));
        assertEquals(expectedSide(100), new TreeMap<>(side));
        Map<String, Long> oddMultiset = oddValues.values().stream()
                .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
        assertEquals(Map.of("k1", 100L, "k3", 100L, "k5", 100L, "k7", 100L, "k9", 100L), oddMultiset,
                "a side-output record was lost or written twice");

        log.append(1_000, KEYS);
        runToEnd(log.bounded(), parallelism, new CollectingSink<>());
        assertEquals(expectedMain(200), new TreeMap<>(main), "the main output's state was lost by the restart");
        assertEquals(expectedSide(200), new TreeMap<>(side), "the side output's state was lost by the restart");
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void aCrashAfterACheckpointRollsBothOutputsBackAndARestartCountsEveryRecordOnce(int parallelism)
            throws Exception {
        int perReader = 600;
        Phases phases = new Phases(parallelism, perReader);
        try (Pipeline pipeline = splitting(phases, parallelism, new CollectingSink<>())) {
            pipeline.start();
            assertTrue(phases.paused());
            pipeline.checkpoint(TIMEOUT); // the cut: the first third of every reader's records
            phases.pauseAgain(perReader * 2 / 3);
            assertTrue(phases.paused());
            phases.crash = true; // the second third reached state, and the restart must forget it
            assertThrows(PipelineFailedException.class, () -> pipeline.awaitTermination(TIMEOUT));
        }
        phases.runToEnd();
        runToEnd(phases, parallelism, new CollectingSink<>());
        long perKey = (long) perReader * parallelism / KEYS;
        assertEquals(expectedMain(perKey), new TreeMap<>(main), "the main output lost or doubled a record");
        assertEquals(expectedSide(perKey), new TreeMap<>(side), "the side output lost or doubled a record");
        assertEquals(perReader / 3, phases.resumedAt.get(), "the restart did not resume from the checkpoint");
    }

    /**
     * A source whose reader r emits keys k((i * readers + r) mod 10) for i from its restored
     * position, pauses at a limit until the test moves it, throws once {@link #crash} is set
     * (the pipeline fails with no final checkpoint, as a kill), and ends at {@code records}
     * once told to run to the end.
     */
    private static final class Phases implements Source<String> {

        /** Where readers stop, and the latch each counts down once there: read as one, so never half moved. */
        private record Pause(int limit, CountDownLatch reached) {
        }

        private final int readers;
        private final int records;
        final AtomicInteger resumedAt = new AtomicInteger(-1);
        volatile Pause pause;
        volatile boolean crash;
        volatile boolean bounded;

        Phases(int readers, int records) {
            this.readers = readers;
            this.records = records;
            pauseAgain(records / 3);
        }

        /** Lets the readers on to {@code limit}; {@link #paused()} is reached when all are there. */
        void pauseAgain(int limit) {
            pause = new Pause(limit, new CountDownLatch(readers));
        }

        boolean paused() throws InterruptedException {
            return pause.reached().await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }

        void runToEnd() {
            crash = false;
            bounded = true;
            resumedAt.set(-1);
            pauseAgain(records);
        }

        @Override
        public void run(SourceContext<String> context) throws InterruptedException {
            int[] next = {context.restoredPosition().map(b -> ByteBuffer.wrap(b).getInt()).orElse(0)};
            resumedAt.accumulateAndGet(next[0], Math::max);
            context.positionForCheckpoints(id -> ByteBuffer.allocate(4).putInt(next[0]).array());
            Pause told = null;
            while (context.isRunning()) {
                Pause now = pause;
                if (next[0] < now.limit()) {
                    context.emit("k" + ((next[0] * readers + context.reader()) % KEYS));
                    next[0]++;
                } else if (bounded) {
                    return;
                } else if (crash) {
                    throw new IllegalStateException("crash");
                } else {
                    if (told != now) {
                        told = now;
                        now.reached().countDown();
                    }
                    Thread.sleep(1);
                }
            }
        }

        @Override
        public int readers() {
            return readers;
        }
    }
}
