package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectionSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A collection source records how far each partition got in checkpoints and resumes there after a restore. */
class CollectionSourceCheckpointTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int VALUES = 1_000;
    private static final int KEYS = 5;

    @TempDir
    Path directory;

    /** Value i is "k(i mod 5)#i": each key {@value #VALUES} / {@value #KEYS} times. */
    private static List<String> values(int count) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add("k" + (i % KEYS) + "#" + i);
        }
        return values;
    }

    /**
     * The source's timestamp function, run on the reader's thread before each emit: lets only
     * {@code allowed} values through in all (counting from the restart), so a test decides how far
     * a run gets; a stop's interrupt lets the waiting value through.
     */
    private static final class Gate implements ToLongFunction<String> {
        volatile int allowed = Integer.MAX_VALUE;
        final AtomicInteger passed = new AtomicInteger();

        @Override
        public long applyAsLong(String value) {
            while (passed.get() >= allowed && !Thread.currentThread().isInterrupted()) {
                LockSupport.parkNanos(100_000L);
            }
            passed.incrementAndGet();
            return 0L;
        }
    }

    /** Final count per key as the sink last saw it, and how many updates it saw. */
    private static final class Counts implements Sink<KeyValue<String, Long>> {
        final Map<String, Long> latest = new ConcurrentHashMap<>();
        final AtomicInteger updates = new AtomicInteger();
        final AtomicBoolean crash = new AtomicBoolean();

        @Override
        public void write(KeyValue<String, Long> value, long timestamp) {
            if (crash.get()) {
                throw new IllegalStateException("crash");
            }
            latest.put(value.key(), value.value());
            updates.incrementAndGet();
        }
    }

    private Pipeline counting(List<? extends List<String>> partitions, Gate gate, Counts counts, PipelineConfig config) {
        StreamBuilder builder = new StreamBuilder("collection-positions");
        builder.source("values", CollectionSource.partitioned(partitions).withTimestamps(gate))
                .keyBy(v -> v.substring(0, v.indexOf('#')))
                .count(Named.as("counts"))
                .toStream()
                .to(counts);
        return new Pipeline(builder.build(), config);
    }

    private PipelineConfig onDemand() {
        return PipelineConfig.defaults().withParallelism(2).withStateDirectory(directory).withCheckpointing(Duration.ZERO);
    }

    private static Map<String, Long> eachKey(long count) {
        return ReplayableLog.everyKey(KEYS, count);
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(2);
        }
    }

    @Test
    void aRestoredCollectionSourceResumesAfterTheLastValueEmittedBeforeACleanStop() throws Exception {
        Gate gate = new Gate();
        gate.allowed = 400;
        Counts first = new Counts();
        try (Pipeline pipeline = counting(List.of(values(VALUES)), gate, first, onDemand())) {
            pipeline.start();
            awaitTrue(() -> first.updates.get() == 400);
            pipeline.stop(); // the final checkpoint records the position
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        int emittedFirst = gate.passed.get();
        assertTrue(emittedFirst < VALUES, "the first run was to stop part-way");

        Gate second = new Gate();
        Counts counts = new Counts();
        try (Pipeline pipeline = counting(List.of(values(VALUES)), second, counts, onDemand())) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(eachKey(VALUES / KEYS), new TreeMap<>(counts.latest), "a value counted twice or lost");
        assertEquals(VALUES - emittedFirst, second.passed.get(), "values emitted after the restart");
    }

    @Test
    void aCollectionSourceRestoredAfterACrashResumesAtTheCheckpointNotWhereItCrashed() throws Exception {
        Gate gate = new Gate();
        gate.allowed = 400;
        Counts first = new Counts();
        try (Pipeline pipeline = counting(List.of(values(VALUES)), gate, first, onDemand())) {
            pipeline.start();
            awaitTrue(() -> first.updates.get() == 400);
            CompletableFuture<Long> checkpoint = CompletableFuture.supplyAsync(() -> {
                try {
                    return pipeline.checkpoint(TIMEOUT);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            while (!checkpoint.isDone() && gate.allowed < 700) {
                gate.allowed++; // the barrier goes in at the reader's next emit
                Thread.sleep(1);
            }
            assertEquals(1L, checkpoint.get());
            gate.allowed = 700;
            // Values after the checkpoint change state that the restore must roll back.
            awaitTrue(() -> first.updates.get() == 700);
            first.crash.set(true); // a failed pipeline takes no final checkpoint
            gate.allowed = Integer.MAX_VALUE;
            assertThrows(PipelineFailedException.class, () -> pipeline.awaitTermination(TIMEOUT));
        }

        Gate second = new Gate();
        Counts counts = new Counts();
        try (Pipeline pipeline = counting(List.of(values(VALUES)), second, counts, onDemand())) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(eachKey(VALUES / KEYS), new TreeMap<>(counts.latest), "a value counted twice or lost");
        int resumedAt = VALUES - second.passed.get();
        assertTrue(resumedAt >= 400 && resumedAt < 700, "resumed at value " + resumedAt
                + ", not at the checkpoint's (between 400 and 700)");
    }

    @Test
    void aCollectionSourceRestartedAfterItEndedEmitsNothingAndCountsStayAsTheyWere() throws Exception {
        Counts first = new Counts();
        try (Pipeline pipeline = counting(List.of(values(VALUES)), new Gate(), first, onDemand())) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(eachKey(VALUES / KEYS), new TreeMap<>(first.latest));

        Gate again = new Gate();
        Counts nothing = new Counts();
        try (Pipeline pipeline = counting(List.of(values(VALUES)), again, nothing, onDemand())) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(0, again.passed.get(), "values emitted again after the restart");
        assertEquals(Map.of(), nothing.latest);

        // One more value per key appended: the counts went on from where they were.
        Counts appended = new Counts();
        try (Pipeline pipeline = counting(List.of(values(VALUES + KEYS)), new Gate(), appended, onDemand())) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(eachKey(VALUES / KEYS + 1), new TreeMap<>(appended.latest));
    }

    @Test
    void aCollectionSourceRestoredWithFewerValuesThanItHadEmittedFailsSayingWhatToDo() throws Exception {
        try (Pipeline pipeline = counting(List.of(values(10)), new Gate(), new Counts(), onDemand())) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        try (Pipeline pipeline = counting(List.of(values(5)), new Gate(), new Counts(), onDemand())) {
            pipeline.start();
            PipelineFailedException e = assertThrows(PipelineFailedException.class,
                    () -> pipeline.awaitTermination(TIMEOUT));
            assertTrue(e.getMessage().contains("source 'values' reader 0") && e.getMessage().contains(
                    "the restored checkpoint says 10 values were emitted, but the partition holds 5"), e.getMessage());
        }
    }

    /**
     * Runs stopped cleanly or crashed at random points, with checkpoints at a random interval,
     * over two partitions, then a run to the end: each value is counted exactly once.
     */
    @Test
    void randomStopsAndCrashesNeverCountAValueTwice() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<List<String>> partitions = List.of(values(VALUES), values(VALUES));
        try {
            for (int round = 0; round < 6; round++) {
                Gate gate = new Gate();
                gate.allowed = 1 + random.nextInt(VALUES);
                Counts counts = new Counts();
                PipelineConfig config = PipelineConfig.defaults().withParallelism(2).withStateDirectory(directory)
                        .withCheckpointing(Duration.ofMillis(1 + random.nextInt(20)));
                try (Pipeline pipeline = counting(partitions, gate, counts, config)) {
                    pipeline.start();
                    Thread.sleep(random.nextInt(30));
                    if (random.nextBoolean()) {
                        pipeline.stop();
                        assertTrue(pipeline.awaitTermination(TIMEOUT));
                    } else {
                        counts.crash.set(true);
                        gate.allowed = Integer.MAX_VALUE; // a record reaches the sink and fails the pipeline
                        try {
                            pipeline.awaitTermination(TIMEOUT);
                        } catch (PipelineFailedException crashed) {
                            // as intended
                        }
                    }
                }
            }
            // The rest, and one more value per key so that every key's final count reaches the sink.
            Counts check = new Counts();
            try (Pipeline pipeline = counting(List.of(values(VALUES + KEYS), values(VALUES)), new Gate(), check,
                    onDemand())) {
                pipeline.start();
                assertTrue(pipeline.awaitTermination(TIMEOUT));
            }
            assertEquals(eachKey(2L * VALUES / KEYS + 1), new TreeMap<>(check.latest));
        } catch (AssertionError | Exception e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
        }
    }
}
