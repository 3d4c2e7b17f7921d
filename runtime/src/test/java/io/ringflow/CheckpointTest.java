package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.internal.checkpoint.CheckpointStorage;
import io.ringflow.state.StateException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consistent checkpoints of state and source positions, and restoring them. */
class CheckpointTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int RECORDS = 1_000;
    private static final int KEYS = 5;

    @TempDir
    Path directory;

    /**
     * Emits record i as key "k(i mod 5)" for i from its restored position up to {@link #RECORDS},
     * slowly, then idles (an endless source, as Kafka is); records its next index at checkpoints.
     */
    private static Source<String> resumable(AtomicInteger emitted) {
        return context -> {
            int[] next = {context.restoredPosition().map(b -> ByteBuffer.wrap(b).getInt()).orElse(0)};
            context.positionForCheckpoints(id -> ByteBuffer.allocate(4).putInt(next[0]).array());
            while (context.isRunning()) {
                if (next[0] < RECORDS) {
                    context.emit("k" + (next[0] % KEYS));
                    next[0]++;
                    emitted.incrementAndGet();
                    if (next[0] % 50 == 0) {
                        Thread.sleep(5);
                    }
                } else {
                    Thread.sleep(2);
                }
            }
        };
    }

    private Pipeline counting(String store, Map<String, Long> latest, AtomicInteger emitted, int parallelism) {
        StreamBuilder builder = new StreamBuilder("checkpointed");
        builder.source("numbers", resumable(emitted))
                .keyBy(s -> s)
                .count(Named.as(store))
                .toStream()
                .to((kv, ts) -> latest.put(kv.key(), kv.value()));
        return new Pipeline(builder.build(), PipelineConfig.defaults().withParallelism(parallelism)
                .withStateDirectory(directory).withCheckpointing(Duration.ZERO).withCheckpointsRetained(2));
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(5);
        }
    }

    @Test
    void aRestartResumesStateAndSourcesFromTheCheckpointAndCountsEveryRecordOnce() throws Exception {
        Map<String, Long> first = new ConcurrentHashMap<>();
        AtomicInteger emittedFirst = new AtomicInteger();
        long checkpoint;
        try (Pipeline pipeline = counting("counts", first, emittedFirst, 2)) {
            pipeline.start();
            awaitTrue(() -> emittedFirst.get() >= 400);
            checkpoint = pipeline.checkpoint(TIMEOUT);
            // Records after the checkpoint change state that the restart must roll back.
            awaitTrue(() -> emittedFirst.get() >= 700);
        }
        assertEquals(1, checkpoint);
        assertTrue(first.values().stream().mapToLong(Long::longValue).sum() > 0);

        Map<String, Long> second = new ConcurrentHashMap<>();
        AtomicInteger emittedSecond = new AtomicInteger();
        try (Pipeline pipeline = counting("counts", second, emittedSecond, 2)) {
            pipeline.start();
            awaitTrue(() -> second.size() == KEYS && second.values().stream().allMatch(c -> c >= RECORDS / KEYS));
            Thread.sleep(100);
        }
        Map<String, Long> expected = new TreeMap<>();
        for (int k = 0; k < KEYS; k++) {
            expected.put("k" + k, (long) RECORDS / KEYS);
        }
        assertEquals(expected, new TreeMap<>(second), "a key counted twice or lost a record across the restart");
        assertTrue(emittedSecond.get() < RECORDS, "the source started over instead of resuming: "
                + emittedSecond.get() + " emitted after the restart");
    }

    @Test
    void keepsOnlyTheRetainedCheckpointsAndSkipsUnfinishedOrDamagedOnes() throws Exception {
        try (Pipeline pipeline = counting("counts", new ConcurrentHashMap<>(), new AtomicInteger(), 1)) {
            pipeline.start();
            for (int i = 0; i < 4; i++) {
                pipeline.checkpoint(TIMEOUT);
            }
        }
        Path checkpoints = directory.resolve("checkpoints");
        try (Stream<Path> dirs = Files.list(checkpoints)) {
            assertEquals(List.of("chk-3", "chk-4"), dirs.map(p -> p.getFileName().toString()).sorted().toList());
        }
        // An unfinished checkpoint (no manifest) and a damaged one are passed over.
        Files.createDirectories(checkpoints.resolve("chk-6"));
        Files.writeString(checkpoints.resolve("chk-4").resolve("MANIFEST"), "stores=other\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        assertEquals(3, new CheckpointStorage(directory).latest().orElseThrow().id());
    }

    @Test
    void aStateDirectoryFromAnotherTopologyIsRefusedNamingTheStore() throws Exception {
        try (Pipeline pipeline = counting("counts", new ConcurrentHashMap<>(), new AtomicInteger(), 1)) {
            pipeline.start();
            pipeline.checkpoint(TIMEOUT);
        }
        StateException e = assertThrows(StateException.class,
                () -> counting("totals", new ConcurrentHashMap<>(), new AtomicInteger(), 1));
        assertTrue(e.getMessage().contains("it has store 'counts', which this topology does not"), e.getMessage());
    }

    @Test
    void checkpointsNeedAStateDirectory() {
        StreamBuilder builder = new StreamBuilder("no-dir");
        builder.source("numbers", resumable(new AtomicInteger())).to((v, t) -> { });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Pipeline(builder.build(), PipelineConfig.defaults().withCheckpointing(Duration.ofSeconds(1))));
        assertEquals("pipeline 'no-dir': checkpoints need a state directory to live in; add"
                + " PipelineConfig.withStateDirectory(path)", e.getMessage());
    }
}
