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
import io.ringflow.Source;
import io.ringflow.StreamBuilder;
import io.ringflow.collection.CollectingSink;
import io.ringflow.connectors.file.FileSource;
import io.ringflow.error.ErrorHandler;
import io.ringflow.error.FailedRecord;
import io.ringflow.error.RecordProcessingException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file source records which files it read, and how far into the current one, in checkpoints. */
class FileSourceCheckpointTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int KEYS = 5;

    @TempDir
    Path state;
    @TempDir
    Path incoming;

    /**
     * Counts per key as the sink last saw them. Lets only {@code allowed} updates through (a
     * blocked sink fills the small rings, so the reader waits in the middle of a file), and
     * throws once {@code crash} is set.
     */
    private static final class Counts implements Sink<KeyValue<String, Long>> {
        final Map<String, Long> latest = new ConcurrentHashMap<>();
        final AtomicInteger updates = new AtomicInteger();
        final AtomicBoolean crash = new AtomicBoolean();
        volatile int allowed = Integer.MAX_VALUE;

        /**
         * Synchronized: with two shards, both could pass the gate at {@code allowed - 1} and
         * count one update past it, and a test waiting for exactly {@code allowed} then waited
         * forever (it did, once, in CI).
         */
        @Override
        public synchronized void write(KeyValue<String, Long> value, long timestamp) {
            while (updates.get() >= allowed && !crash.get()) {
                LockSupport.parkNanos(100_000L);
            }
            if (crash.get()) {
                throw new IllegalStateException("crash");
            }
            latest.put(value.key(), value.value());
            updates.incrementAndGet();
        }

        long total() {
            return latest.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private Pipeline counting(Source<String> source, Counts counts, ErrorHandler errors) {
        StreamBuilder builder = new StreamBuilder("file-positions");
        builder.source("lines", source)
                .keyBy(line -> line.substring(0, line.indexOf('#')))
                .count(Named.as("counts"))
                .toStream()
                .to(counts);
        return new Pipeline(builder.build(), PipelineConfig.defaults().withParallelism(2).withRingSize(8)
                .withStateDirectory(state).withCheckpointing(Duration.ZERO).withErrorHandler(errors));
    }

    private Pipeline counting(FileSource source, Counts counts) {
        return counting(source, counts, ErrorHandler.failPipeline());
    }

    private FileSource watching() {
        return FileSource.lines(incoming).pollEvery(Duration.ofMillis(10));
    }

    /** Moves in a file of {@code lines} lines "k(i mod 5)#name:i", each key as often. */
    private void moveIn(String name, int lines) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            text.append('k').append(i % KEYS).append('#').append(name).append(':').append(i).append('\n');
        }
        moveIn(name, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void moveIn(String name, byte[] content) throws Exception {
        Path staged = Files.write(incoming.resolve("_" + name), content);
        Files.move(staged, incoming.resolve(name), StandardCopyOption.ATOMIC_MOVE);
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
            Thread.sleep(2);
        }
    }

    @Test
    void aRestoredFileSourceFinishesTheHalfReadFileThenReadsOnlyFilesItHasNotSeen() throws Exception {
        moveIn("b.txt", 1_000);
        Counts first = new Counts();
        first.allowed = 300;
        try (Pipeline pipeline = counting(watching(), first)) {
            pipeline.start();
            awaitTrue(() -> first.updates.get() == 300);
            pipeline.stop(); // the reader stops at its next line; the final checkpoint records where
            first.allowed = Integer.MAX_VALUE;
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertTrue(first.total() < 1_000, "b.txt was to be half read at the stop, " + first.total() + " lines counted");

        moveIn("c.txt", 100);
        moveIn("a.txt", 50); // a name before the half-read file's, which a restart must read too
        Counts second = new Counts();
        try (Pipeline pipeline = counting(watching().existingOnly(), second)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(eachKey((1_000 + 100 + 50) / KEYS), new TreeMap<>(second.latest),
                "a line counted twice or lost across the restart");
        assertEquals(1_150 - first.updates.get(), second.updates.get(), "lines read after the restart");
    }

    @Test
    void aFileSourceRestoredAfterACrashResumesTheFileAtTheCheckpointedOffset() throws Exception {
        moveIn("a.txt", 1_000);
        Counts first = new Counts();
        first.allowed = 300;
        int atCheckpoint;
        try (Pipeline pipeline = counting(watching(), first)) {
            pipeline.start();
            awaitTrue(() -> first.updates.get() == 300);
            CompletableFuture<Long> checkpoint = CompletableFuture.supplyAsync(() -> {
                try {
                    return pipeline.checkpoint(TIMEOUT);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            while (!checkpoint.isDone()) {
                first.allowed++; // room for the barrier to be placed and to reach the shards
                Thread.sleep(1);
            }
            assertEquals(1L, checkpoint.get());
            atCheckpoint = first.updates.get();
            // Lines after the checkpoint change state that the restore must roll back.
            first.allowed = atCheckpoint + 200;
            awaitTrue(() -> first.updates.get() == atCheckpoint + 200);
            first.crash.set(true); // a failed pipeline takes no final checkpoint
            assertThrows(PipelineFailedException.class, () -> pipeline.awaitTermination(TIMEOUT));
        }
        assertTrue(atCheckpoint < 800, "a.txt was to be half read at the checkpoint");

        moveIn("b.txt", 100);
        Counts second = new Counts();
        try (Pipeline pipeline = counting(watching().existingOnly(), second)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(eachKey((1_000 + 100) / KEYS), new TreeMap<>(second.latest),
                "a line counted twice or lost across the crash");
        // The checkpoint covered more than the 300 lines the sink had let through, and no more than it counted.
        assertTrue(second.updates.get() < 1_100 - 300 && second.updates.get() >= 1_100 - atCheckpoint,
                "resumed from the checkpoint, not from the start or from the crash: " + second.updates.get()
                        + " lines read after the restart");
    }

    @Test
    void aFileSourceRestartedWithNothingNewReadsNothingAndCountsStayAsTheyWere() throws Exception {
        moveIn("a.txt", 100);
        moveIn("b.txt", 100);
        Counts first = new Counts();
        try (Pipeline pipeline = counting(watching().existingOnly(), first)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(eachKey(40), new TreeMap<>(first.latest));

        Counts nothing = new Counts();
        try (Pipeline pipeline = counting(watching().existingOnly(), nothing)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(Map.of(), nothing.latest, "lines read again after the restart");

        moveIn("c.txt", KEYS);
        Counts more = new Counts();
        try (Pipeline pipeline = counting(watching().existingOnly(), more)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(eachKey(41), new TreeMap<>(more.latest), "the counts went on from where they were");
    }

    @Test
    void aLineThatWasNotUtf8IsNotReportedAgainAfterARestart() throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        for (int i = 0; i < 100; i++) {
            file.writeBytes(("k" + (i % KEYS) + "#" + i + "\n").getBytes(StandardCharsets.UTF_8));
        }
        file.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, '\n'});
        for (int i = 100; i < 200; i++) {
            file.writeBytes(("k" + (i % KEYS) + "#" + i + "\n").getBytes(StandardCharsets.UTF_8));
        }
        moveIn("bad.txt", file.toByteArray());
        // The handler holds the reader right after the bad line while a checkpoint is requested,
        // so its barrier goes in at the next line: the bad line is the last one it covers.
        CountDownLatch reported = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CollectingSink<FailedRecord> deadLetters = new CollectingSink<>();
        ErrorHandler holding = record -> {
            if (!record.kind().equals("source")) {
                throw new RecordProcessingException(record); // the crash fails the pipeline
            }
            deadLetters.write(record, record.timestamp());
            reported.countDown();
            try {
                release.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Counts first = new Counts();
        try (Pipeline pipeline = counting(watching(), first, holding)) {
            pipeline.start();
            assertTrue(reported.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            CompletableFuture<Long> checkpoint = CompletableFuture.supplyAsync(() -> {
                try {
                    return pipeline.checkpoint(TIMEOUT);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(50); // the request is in before the reader goes on
            release.countDown();
            assertEquals(1L, checkpoint.get());
            first.crash.set(true); // no final checkpoint: the restart resumes from the one just after the bad line
            moveIn("z.txt", KEYS); // a line for the sink to fail on, should bad.txt be counted already
            assertThrows(PipelineFailedException.class, () -> pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(1, deadLetters.size());
        assertTrue(deadLetters.values().get(0).cause().getMessage().contains("is not valid UTF-8 at line 101"));

        CollectingSink<FailedRecord> deadLettersAfter = new CollectingSink<>();
        Counts second = new Counts();
        try (Pipeline pipeline = counting(watching().existingOnly(), second, ErrorHandler.deadLetter(deadLettersAfter))) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(0, deadLettersAfter.size(), "the bad line was reported again: " + deadLettersAfter.values());
        assertEquals(eachKey(200 / KEYS + 1), new TreeMap<>(second.latest));
        assertEquals(100 + KEYS, second.updates.get(), "lines read after the restart: those after the bad line");
    }

    @Test
    void aFileSourceRestoredFromAPositionItCannotReadFailsSayingWhatToDo() throws Exception {
        moveIn("a.txt", 10);
        Source<String> another = context -> context.positionForCheckpoints(id -> new byte[] {42});
        try (Pipeline pipeline = counting(another, new Counts(), ErrorHandler.failPipeline())) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT)); // its final checkpoint holds that position
        }
        Counts counts = new Counts();
        try (Pipeline pipeline = counting(watching().existingOnly(), counts)) {
            pipeline.start();
            PipelineFailedException e = assertThrows(PipelineFailedException.class,
                    () -> pipeline.awaitTermination(TIMEOUT));
            assertTrue(e.getMessage().contains("source 'lines' reader 0") && e.getMessage().contains("file source on "
                    + incoming + ": the restored checkpoint holds no position this source can read (unknown format 42)")
                    && e.getMessage().endsWith("start on a fresh state directory"), e.getMessage());
        }
        assertEquals(0, counts.updates.get(), "read from the start after all");
    }
}
