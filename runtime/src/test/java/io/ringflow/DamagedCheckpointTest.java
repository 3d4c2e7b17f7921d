package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ringflow.state.StateException;
import io.ringflow.state.internal.CheckpointFiles;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every kind of damage to the newest checkpoint (each file RocksDB and Ringflow write, a
 * missing shard, a truncated or changed file) is found before the checkpoint is chosen: the
 * restore falls back to the next intact one, and the counts are exact. When none is intact the
 * pipeline refuses to start, naming each one, unless told to start empty.
 */
class DamagedCheckpointTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int KEYS = 10;
    private static final int PARALLELISM = 2;

    @TempDir
    Path directory;

    /** A way to damage a checkpoint directory, as disks, copies and people do. */
    enum Damage {
        RINGFLOW_MANIFEST_CHANGED(chk -> append(chk.resolve("MANIFEST"), "stores=other\n")),
        ROCKSDB_MANIFEST_EMPTIED(chk -> truncate(first(chk.resolve("shard-0"), "MANIFEST-"), 0)),
        CURRENT_MISSING(chk -> Files.delete(chk.resolve("shard-1").resolve("CURRENT"))),
        CURRENT_OVERWRITTEN(chk -> overwrite(chk.resolve("shard-0").resolve("CURRENT"))),
        OPTIONS_OVERWRITTEN(chk -> overwrite(first(chk.resolve("shard-0"), "OPTIONS-"))),
        SST_MISSING(chk -> Files.delete(ownSst(chk, "shard-1"))),
        SST_TRUNCATED(chk -> {
            Path sst = ownSst(chk, "shard-0");
            truncate(sst, Files.size(sst) / 2);
        }),
        SST_BYTES_FLIPPED(chk -> flipMiddle(ownSst(chk, "shard-0"))),
        SHARD_DIRECTORY_MISSING(chk -> CheckpointFiles.deleteRecursively(chk.resolve("shard-1")));

        final Damager damager;

        Damage(Damager damager) {
            this.damager = damager;
        }
    }

    @FunctionalInterface
    interface Damager {
        void damage(Path checkpoint) throws IOException;
    }

    private Pipeline counting(Source<String> source, Map<String, Long> latest, PipelineConfig config) {
        StreamBuilder builder = new StreamBuilder("damaged");
        builder.source("log", source)
                .keyBy(s -> s)
                .count(Named.as("counts"))
                .toStream()
                .to((kv, ts) -> latest.put(kv.key(), kv.value()), Named.as("latest"));
        return new Pipeline(builder.build(), config);
    }

    private PipelineConfig config() {
        return PipelineConfig.defaults().withParallelism(PARALLELISM).withStateDirectory(directory)
                .withCheckpointing(Duration.ZERO).withCheckpointsRetained(2);
    }

    /** Runs the log to its end; returns each key's last count and the checkpoint it restored. */
    private Map<String, Long> runToEnd(ReplayableLog log, PipelineConfig config, long[] restored)
            throws InterruptedException {
        Map<String, Long> latest = new ConcurrentHashMap<>();
        Pipeline pipeline = counting(log.bounded(), latest, config);
        restored[0] = pipeline.lastCheckpoint();
        return ReplayableLog.countsAtEnd(pipeline, latest);
    }

    private static Map<String, Long> everyKey(long count) {
        return ReplayableLog.everyKey(KEYS, count);
    }

    /** Two runs: checkpoint 1 holds 100 per key, checkpoint 2 (the newest) 200; then 1,000 more records. */
    private ReplayableLog twoCheckpoints() throws InterruptedException {
        ReplayableLog log = new ReplayableLog(PARALLELISM).append(1_000, KEYS);
        long[] restored = new long[1];
        assertEquals(everyKey(100), runToEnd(log, config(), restored));
        log.append(1_000, KEYS);
        assertEquals(everyKey(200), runToEnd(log, config(), restored));
        assertEquals(1, restored[0]);
        log.append(1_000, KEYS);
        return log;
    }

    private Path checkpoint(long id) {
        return directory.resolve("checkpoints").resolve("chk-" + id);
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedNewestCheckpointIsPassedOverForTheNextIntactOneAndCountsStayExact(Damage damage) throws Exception {
        ReplayableLog log = twoCheckpoints();
        damage.damager.damage(checkpoint(2));
        long[] restored = new long[1];
        Map<String, Long> counts = runToEnd(log, config(), restored);
        assertEquals(1, restored[0], damage + " was not noticed: the damaged checkpoint 2 was chosen");
        assertEquals(everyKey(300), counts, damage + ": the fallback to checkpoint 1 lost or doubled records");
    }

    @Test
    void whenNoCheckpointIsIntactThePipelineRefusesToStartNamingEachAndTheChoices() throws Exception {
        ReplayableLog log = twoCheckpoints();
        Damage.SST_MISSING.damager.damage(checkpoint(2));
        Damage.RINGFLOW_MANIFEST_CHANGED.damager.damage(checkpoint(1));
        StateException refused = assertThrows(StateException.class,
                () -> counting(log.bounded(), new ConcurrentHashMap<>(), config()));
        String message = refused.getMessage();
        assertTrue(message.startsWith("pipeline 'damaged': no checkpoint in " + directory.resolve("checkpoints")
                + " can be restored (chk-2: shard-1/"), message);
        assertTrue(message.contains(".sst is missing; chk-1: MANIFEST checksum does not match its contents: the file"
                + " is damaged)"), message);
        assertTrue(message.contains("a new state directory, and the sources reset to their beginning"), message);
        assertTrue(message.endsWith("or accept the loss with PipelineConfig.withEmptyStateWhenCheckpointsAreUnusable()"),
                message);
        // The refusal touched nothing: the state directory is free and still refuses.
        assertThrows(StateException.class, () -> counting(log.bounded(), new ConcurrentHashMap<>(), config()));
    }

    @Test
    void optingInToEmptyStateStartsFromNothingAndTheReplayableSourceRereadsEverything() throws Exception {
        ReplayableLog log = twoCheckpoints();
        Damage.SST_MISSING.damager.damage(checkpoint(2));
        Damage.CURRENT_MISSING.damager.damage(checkpoint(1));
        long[] restored = new long[1];
        assertEquals(everyKey(300), runToEnd(log, config().withEmptyStateWhenCheckpointsAreUnusable(), restored));
        assertEquals(0, restored[0]);
    }

    @Test
    void checkpointsThatKeepFailingFailThePipelineAfterTheToleratedNumberAndAreMetered() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        ReplayableLog log = new ReplayableLog(1).append(1_000, KEYS);
        CountDownLatch idle = new CountDownLatch(1);
        try (Pipeline pipeline = counting(log.waiting(idle), new ConcurrentHashMap<>(), PipelineConfig.defaults()
                .withStateDirectory(directory).withCheckpointing(Duration.ZERO).withMeterRegistry(registry)
                .withTolerableCheckpointFailures(2))) {
            pipeline.start();
            assertTrue(idle.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            pipeline.checkpoint(TIMEOUT);
            assertEquals(1.0, registry.get("ringflow.checkpoint.completed").counter().count());
            assertTrue(registry.get("ringflow.checkpoint.size").gauge().value() > 0);
            assertEquals(1, registry.get("ringflow.checkpoint.duration").timer().count());
            // The checkpoint directory becomes a file: every later checkpoint fails to write.
            Path checkpoints = directory.resolve("checkpoints");
            CheckpointFiles.deleteRecursively(checkpoints);
            Files.writeString(checkpoints, "not a directory");
            for (int failure = 1; failure <= 2; failure++) {
                assertThrows(RingflowException.class, () -> pipeline.checkpoint(TIMEOUT));
                assertEquals(Pipeline.State.RUNNING, pipeline.state(), "failure " + failure + " is tolerated");
                assertEquals(failure, registry.get("ringflow.checkpoint.failures.consecutive").gauge().value());
            }
            assertThrows(RingflowException.class, () -> pipeline.checkpoint(TIMEOUT));
            PipelineFailedException failed = assertThrows(PipelineFailedException.class,
                    () -> pipeline.awaitTermination(TIMEOUT));
            assertTrue(failed.getMessage().contains("3 checkpoints in a row failed, more than the 2 tolerated"
                    + " (PipelineConfig.withTolerableCheckpointFailures)"), failed.getMessage());
            assertEquals(3.0, registry.get("ringflow.checkpoint.failed").counter().count());
            assertEquals(1.0, registry.get("ringflow.checkpoint.completed").counter().count());
        }
    }

    private static Path first(Path directory, String nameContains) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().contains(nameContains)).sorted().findFirst()
                    .orElseThrow(() -> new IOException("no file with '" + nameContains + "' in " + directory));
        }
    }

    /**
     * An SST file of {@code checkpoint}'s shard that no older checkpoint has: checkpoints
     * hard-link the SST files they share, so damaging a shared one damages every checkpoint
     * holding it (and the live database), and no fallback can help.
     */
    private static Path ownSst(Path checkpoint, String shard) throws IOException {
        Path older = checkpoint.resolveSibling("chk-1").resolve(shard);
        try (Stream<Path> files = Files.list(checkpoint.resolve(shard))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".sst"))
                    .filter(f -> !Files.exists(older.resolve(f.getFileName()))).sorted().findFirst()
                    .orElseThrow(() -> new IOException("every SST of " + checkpoint.resolve(shard) + " is shared"));
        }
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static void truncate(Path file, long size) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        }
    }

    /** Same size, other content: only a check of what is inside can tell. */
    private static void overwrite(Path file) throws IOException {
        byte[] garbage = new byte[(int) Files.size(file)];
        java.util.Arrays.fill(garbage, (byte) '#');
        Files.write(file, garbage);
    }

    private static void flipMiddle(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long middle = raf.length() / 2;
            for (long at = middle - 8; at < middle + 8; at++) {
                raf.seek(at);
                int b = raf.read();
                raf.seek(at);
                raf.write(b ^ 0xFF);
            }
        }
    }
}
