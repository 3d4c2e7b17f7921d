package io.ringflow.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.KeyValue;
import io.ringflow.Named;
import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.PipelineFailedException;
import io.ringflow.Sink;
import io.ringflow.StreamBuilder;
import io.ringflow.connectors.rate.RateSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rate source records the next sequence number in checkpoints and goes on from it after a restore. */
class RateSourceCheckpointTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int ROWS = 3_000;
    private static final int KEYS = 5;

    @TempDir
    Path state;

    /** Counts per key as the sink last saw them; throws once {@code crash} is set. */
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

    /** Rows by key "k(sequence mod 5)"; {@code rows} gets every row the source emits. */
    private Pipeline counting(long limit, List<RateSource.Row> rows, Counts counts) {
        StreamBuilder builder = new StreamBuilder("rate-positions");
        builder.source("ticks", RateSource.of(10_000).limit(limit))
                .map(row -> {
                    rows.add(row);
                    return row;
                })
                .keyBy(row -> "k" + row.value() % KEYS)
                .count(Named.as("counts"))
                .toStream()
                .to(counts);
        return new Pipeline(builder.build(), PipelineConfig.defaults().withParallelism(2).withStateDirectory(state)
                .withCheckpointing(Duration.ZERO));
    }

    private static Map<String, Long> eachKey(long count) {
        Map<String, Long> expected = new TreeMap<>();
        for (int k = 0; k < KEYS; k++) {
            expected.put("k" + k, count);
        }
        return expected;
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(1);
        }
    }

    @Test
    void aRestoredRateSourceContinuesTheSequenceWhereACleanStopLeftIt() throws Exception {
        List<RateSource.Row> first = new CopyOnWriteArrayList<>();
        try (Pipeline pipeline = counting(ROWS, first, new Counts())) {
            pipeline.start();
            awaitTrue(() -> first.size() >= 500);
            pipeline.stop();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertTrue(first.size() < ROWS, "the first run was to stop part-way");

        List<RateSource.Row> second = new CopyOnWriteArrayList<>();
        Counts counts = new Counts();
        long restartedAt = System.currentTimeMillis();
        try (Pipeline pipeline = counting(ROWS, second, counts)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(eachKey(ROWS / KEYS), new TreeMap<>(counts.latest), "a row counted twice or lost");
        for (int i = 0; i < first.size(); i++) {
            assertEquals(i, first.get(i).value());
        }

        for (int i = 0; i < second.size(); i++) {
            assertEquals(first.size() + i, second.get(i).value(), "the sequence after the restart");
        }
        assertTrue(second.get(0).timestamp() >= restartedAt, "the restart's rows are due from its own clock");
    }

    @Test
    void aRateSourceRestoredAfterACrashContinuesTheSequenceFromTheCheckpoint() throws Exception {
        List<RateSource.Row> first = new CopyOnWriteArrayList<>();
        Counts crashing = new Counts();
        int atCheckpoint;
        try (Pipeline pipeline = counting(ROWS, first, crashing)) {
            pipeline.start();
            awaitTrue(() -> first.size() >= 500);
            assertEquals(1, pipeline.checkpoint(TIMEOUT));
            atCheckpoint = first.size();
            awaitTrue(() -> crashing.updates.get() >= atCheckpoint + 300); // state the restore must roll back
            crashing.crash.set(true);
            assertThrows(PipelineFailedException.class, () -> pipeline.awaitTermination(TIMEOUT));
        }

        List<RateSource.Row> second = new CopyOnWriteArrayList<>();
        Counts counts = new Counts();
        try (Pipeline pipeline = counting(ROWS, second, counts)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(eachKey(ROWS / KEYS), new TreeMap<>(counts.latest), "a row counted twice or lost");
        long resumedAt = second.get(0).value();
        assertTrue(resumedAt >= 500 && resumedAt <= atCheckpoint, "resumed at row " + resumedAt
                + ", not at the checkpoint's (between 500 and " + atCheckpoint + ")");
        assertEquals(ROWS - resumedAt, second.size());
    }

    @Test
    void aRateSourceRestartedAfterItsLimitEmitsNothingAndCountsStayAsTheyWere() throws Exception {
        Counts counts = new Counts();
        try (Pipeline pipeline = counting(ROWS, new CopyOnWriteArrayList<>(), counts)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(eachKey(ROWS / KEYS), new TreeMap<>(counts.latest));

        List<RateSource.Row> again = new CopyOnWriteArrayList<>();
        try (Pipeline pipeline = counting(ROWS, again, new Counts())) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(0, again.size(), "rows emitted again after the restart");

        Counts more = new Counts();
        List<RateSource.Row> extra = new CopyOnWriteArrayList<>();
        try (Pipeline pipeline = counting(ROWS + KEYS, extra, more)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(List.of(3_000L, 3_001L, 3_002L, 3_003L, 3_004L), extra.stream().map(RateSource.Row::value).toList());
        assertEquals(eachKey(ROWS / KEYS + 1), new TreeMap<>(more.latest), "the counts went on from where they were");
    }
}
