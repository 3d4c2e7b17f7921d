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
        return counting(store, (kv, ts) -> latest.put(kv.key(), kv.value()), emitted, parallelism);
    }

    private Pipeline counting(String store, Sink<KeyValue<String, Long>> sink, AtomicInteger emitted, int parallelism) {
        StreamBuilder builder = new StreamBuilder("checkpointed");
        builder.source("numbers", resumable(emitted))
                .keyBy(s -> s)
                .count(Named.as(store))
                .toStream()
                .to(sink);
        return new Pipeline(builder.build(), PipelineConfig.defaults().withParallelism(parallelism)
                .withStateDirectory(directory).withCheckpointing(Duration.ZERO).withCheckpointsRetained(2));
    }

    /**
     * A transactional sink in the manner of Kafka's: writes are held in an open transaction,
     * {@code commit} publishes them with the checkpoint's id, {@code recover} aborts what was
     * open; {@code committed} is what a read_committed reader would see.
     */
    private static final class TransactionLog implements TransactionalSink<KeyValue<String, Long>> {
        final List<KeyValue<String, Long>> committed = new java.util.ArrayList<>();
        final List<KeyValue<String, Long>> open = new java.util.ArrayList<>();
        long lastCommitted;
        volatile long failCommitOf = -1;

        @Override
        public synchronized long recover() {
            open.clear();
            return lastCommitted;
        }

        @Override
        public synchronized void write(KeyValue<String, Long> value, long timestamp) {
            open.add(value);
        }

        @Override
        public synchronized void commit(long checkpointId) {
            if (checkpointId == failCommitOf) {
                throw new IllegalStateException("the transaction of checkpoint " + checkpointId + " was lost");
            }
            committed.addAll(open);
            open.clear();
            lastCommitted = checkpointId;
        }
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
        java.util.concurrent.atomic.AtomicBoolean crash = new java.util.concurrent.atomic.AtomicBoolean();
        try (Pipeline pipeline = counting("counts", (kv, ts) -> {
            if (crash.get()) {
                throw new IllegalStateException("crash");
            }
            first.put(kv.key(), kv.value());
        }, emittedFirst, 2)) {
            pipeline.start();
            awaitTrue(() -> emittedFirst.get() >= 400);
            checkpoint = pipeline.checkpoint(TIMEOUT);
            // Records after the checkpoint change state that the restart must roll back.
            awaitTrue(() -> emittedFirst.get() >= 700);
            crash.set(true); // a failed pipeline takes no final checkpoint
            assertThrows(PipelineFailedException.class, () -> pipeline.awaitTermination(TIMEOUT));
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

    /**
     * The late-data scenario: 300 records in event-time order (k0 and k1 in turn, every 10 ms
     * from 0), then one 3 s late, then two that move event time on.
     */
    private static final String[] EVENTS = java.util.stream.Stream.concat(
            java.util.stream.IntStream.range(0, 300).mapToObj(i -> "k" + (i % 2) + "@" + i * 10L),
            Stream.of("k0@500", "k0@3500", "k1@10000")).toArray(String[]::new);

    /**
     * Emits {@link #EVENTS} from its restored position up to {@code limit}, then idles; throws
     * (the pipeline fails, with no final checkpoint) once {@code crash} is set.
     */
    private static Source<String> events(int limit, java.util.concurrent.atomic.AtomicBoolean crash,
                                         AtomicInteger resumedAt) {
        return context -> {
            AtomicInteger next = new AtomicInteger(context.restoredPosition().map(b -> ByteBuffer.wrap(b).getInt()).orElse(0));
            resumedAt.set(next.get());
            context.positionForCheckpoints(id -> ByteBuffer.allocate(4).putInt(next.get()).array());
            while (context.isRunning()) {
                if (next.get() < limit) {
                    context.emit(EVENTS[next.get()]);
                    next.incrementAndGet();
                } else if (crash.get()) {
                    throw new IllegalStateException("crash");
                } else {
                    Thread.sleep(2);
                }
            }
        };
    }

    private Pipeline windowed(Source<String> source, Sink<KeyValue<io.ringflow.windowing.Windowed<String>, Long>> sink,
                              Sink<KeyValue<String, String>> late) {
        StreamBuilder builder = new StreamBuilder("late-data");
        builder.source("events", source, io.ringflow.watermark.WatermarkStrategy.<String>forBoundedOutOfOrderness(
                        Duration.ZERO).withTimestampExtractor((event, sourceTime) -> Long.parseLong(event.split("@")[1])))
                .keyBy(event -> event.split("@")[0])
                .window(io.ringflow.windowing.TumblingWindows.of(Duration.ofSeconds(1)))
                .lateRecords(late, Named.as("late"))
                .count(Named.as("counts"))
                .to(sink);
        return new Pipeline(builder.build(), PipelineConfig.defaults().withParallelism(2)
                .withStateDirectory(directory).withCheckpointing(Duration.ZERO));
    }

    /**
     * Event time resumes where the checkpoint left it, so a record that is late before a crash
     * or a clean stop is late after the restart too, and the window it belongs to, closed and
     * written before, is not opened again with that record alone. Restarting event time from
     * nothing (as Flink does) would count it.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"crash", "clean stop"})
    void aRecordLateBeforeARestartIsLateAfterItToo(String restart) throws Exception {
        java.util.concurrent.atomic.AtomicBoolean crash = new java.util.concurrent.atomic.AtomicBoolean();
        io.ringflow.collection.CollectingSink<KeyValue<io.ringflow.windowing.Windowed<String>, Long>> first =
                new io.ringflow.collection.CollectingSink<>();
        try (Pipeline pipeline = windowed(events(300, crash, new AtomicInteger()), first,
                new io.ringflow.collection.CollectingSink<>())) {
            pipeline.start();
            awaitTrue(() -> first.values().size() == 4); // [0, 1000) and [1000, 2000) of both keys: event time is past 2 s
            if (restart.equals("crash")) {
                pipeline.checkpoint(TIMEOUT);
                crash.set(true);
                assertThrows(PipelineFailedException.class, () -> pipeline.awaitTermination(TIMEOUT));
            }
        }

        io.ringflow.collection.CollectingSink<KeyValue<io.ringflow.windowing.Windowed<String>, Long>> second =
                new io.ringflow.collection.CollectingSink<>();
        io.ringflow.collection.CollectingSink<KeyValue<String, String>> late = new io.ringflow.collection.CollectingSink<>();
        AtomicInteger resumedAt = new AtomicInteger(-1);
        try (Pipeline pipeline = windowed(events(EVENTS.length, crash, resumedAt), second, late)) {
            crash.set(false);
            pipeline.start();
            awaitTrue(() -> second.values().size() >= 3);
            Thread.sleep(100); // a window opened again by the late record would close now: k1@10000 closes it
            assertEquals(300, resumedAt.get(), "the restart resumed at the late record");
            assertEquals(1, pipeline.lateRecords("counts"), "late records after the restart");
        }
        assertEquals(List.of("k0@[2000, 3000)=50", "k0@[3000, 4000)=1", "k1@[2000, 3000)=50"),
                second.values().stream().map(kv -> kv.key() + "=" + kv.value()).sorted().toList());
        assertEquals(List.of(KeyValue.of("k0", "k0@500")), late.values());
    }

    /**
     * Two readers far apart in event time, a record every 10 ms from 0 each: reader 0 ("fast")
     * up to 9,990 ms, reader 1 ("slow") up to {@code slowRecords} records; each resumes at its
     * restored position.
     */
    private static Source<String> twoPaces(int slowRecords, AtomicInteger done) {
        return new Source<>() {
            @Override
            public void run(SourceContext<String> context) throws Exception {
                String key = context.reader() == 0 ? "fast" : "slow";
                int limit = context.reader() == 0 ? 1_000 : slowRecords;
                int[] next = {context.restoredPosition().map(b -> ByteBuffer.wrap(b).getInt()).orElse(0)};
                context.positionForCheckpoints(id -> ByteBuffer.allocate(4).putInt(next[0]).array());
                boolean counted = false;
                while (context.isRunning()) {
                    if (next[0] < limit) {
                        context.emit(key + "@" + next[0] * 10L);
                        next[0]++;
                    } else {
                        if (!counted) {
                            counted = true;
                            done.incrementAndGet();
                        }
                        Thread.sleep(2);
                    }
                }
            }

            @Override
            public int readers() {
                return 2;
            }
        };
    }

    /**
     * A clean stop leaves event time where the slowest input holds it: it closes no window a
     * running pipeline would keep open, and the restart judges the slow input's next records
     * against that, not against the fast input's far later event time (they are not late).
     */
    @Test
    void aCleanStopKeepsEventTimeAtTheSlowestInputSoItsNextRecordsAreNotLate() throws Exception {
        io.ringflow.collection.CollectingSink<KeyValue<io.ringflow.windowing.Windowed<String>, Long>> first =
                new io.ringflow.collection.CollectingSink<>();
        AtomicInteger done = new AtomicInteger();
        try (Pipeline pipeline = windowed(twoPaces(200, done), first, new io.ringflow.collection.CollectingSink<>())) {
            pipeline.start();
            awaitTrue(() -> done.get() == 2 && first.values().size() == 2);
            Thread.sleep(100); // nothing else closes: the slow reader holds event time under 2 s
        }
        assertEquals(List.of("fast@[0, 1000)=100", "slow@[0, 1000)=100"),
                first.values().stream().map(kv -> kv.key() + "=" + kv.value()).sorted().toList(),
                "the stop closed windows past the slow reader's event time");

        io.ringflow.collection.CollectingSink<KeyValue<io.ringflow.windowing.Windowed<String>, Long>> second =
                new io.ringflow.collection.CollectingSink<>();
        try (Pipeline pipeline = windowed(twoPaces(400, new AtomicInteger()), second,
                new io.ringflow.collection.CollectingSink<>())) {
            pipeline.start();
            awaitTrue(() -> second.values().size() >= 4);
            Thread.sleep(100);
            assertEquals(0, pipeline.lateRecords("counts"), "late records after the restart");
        }
        assertEquals(List.of("fast@[1000, 2000)=100", "fast@[2000, 3000)=100", "slow@[1000, 2000)=100",
                        "slow@[2000, 3000)=100"),
                second.values().stream().map(kv -> kv.key() + "=" + kv.value()).sorted().toList());
    }

    @Test
    void keepsOnlyTheRetainedCheckpointsAndSkipsUnfinishedOrDamagedOnes() throws Exception {
        try (Pipeline pipeline = counting("counts", new ConcurrentHashMap<>(), new AtomicInteger(), 1)) {
            pipeline.start();
            for (int i = 0; i < 4; i++) {
                pipeline.checkpoint(TIMEOUT);
            }
        } // closing cleanly takes checkpoint 5
        Path checkpoints = directory.resolve("checkpoints");
        try (Stream<Path> dirs = Files.list(checkpoints)) {
            assertEquals(List.of("chk-4", "chk-5"), dirs.map(p -> p.getFileName().toString()).sorted().toList());
        }
        // An unfinished checkpoint (no manifest) and a damaged one are passed over.
        Files.createDirectories(checkpoints.resolve("chk-7"));
        Files.writeString(checkpoints.resolve("chk-5").resolve("MANIFEST"), "stores=other\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(log, true, StandardCharsets.UTF_8)); // where slf4j-simple logs
        try {
            assertEquals(4, new CheckpointStorage(directory.resolve("checkpoints")).latest().orElseThrow().id());
        } finally {
            System.setErr(stderr);
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("ignoring checkpoint " + checkpoints.resolve("chk-7") + ": no MANIFEST: the"
                + " checkpoint was never finished"), logged);
        assertTrue(logged.contains("ignoring checkpoint " + checkpoints.resolve("chk-5") + ": MANIFEST checksum does"
                + " not match its contents: the file is damaged"), logged);
    }

    @Test
    void aCleanStopCheckpointsWhereItStandsSoARestartRedoesNothing() throws Exception {
        Map<String, Long> first = new ConcurrentHashMap<>();
        AtomicInteger emittedFirst = new AtomicInteger();
        try (Pipeline pipeline = counting("counts", first, emittedFirst, 2)) {
            pipeline.start();
            awaitTrue(() -> emittedFirst.get() >= 300);
        }
        assertEquals(1, new CheckpointStorage(directory.resolve("checkpoints")).latest().orElseThrow().id());
        long before = first.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(emittedFirst.get(), before, "a clean stop drains everything emitted");

        Map<String, Long> second = new ConcurrentHashMap<>();
        AtomicInteger emittedSecond = new AtomicInteger();
        try (Pipeline pipeline = counting("counts", second, emittedSecond, 2)) {
            assertEquals(1, pipeline.lastCheckpoint(), "restored from the final checkpoint");
            pipeline.start();
            awaitTrue(() -> second.size() == KEYS && second.values().stream().allMatch(c -> c >= RECORDS / KEYS));
        }
        assertEquals(RECORDS - emittedFirst.get(), emittedSecond.get(), "the restart re-read records");
    }

    @Test
    void aTransactionalSinkCommitsWithCheckpointsAndARestartReturnsToItsLastCommit() throws Exception {
        TransactionLog log = new TransactionLog();
        AtomicInteger emittedFirst = new AtomicInteger();
        try (Pipeline pipeline = counting("counts", log, emittedFirst, 2)) {
            pipeline.start();
            awaitTrue(() -> emittedFirst.get() >= 300);
            assertEquals(1, pipeline.checkpoint(TIMEOUT));
            synchronized (log) {
                assertTrue(!log.committed.isEmpty(), "checkpoint 1 committed the output");
            }
            awaitTrue(() -> emittedFirst.get() >= 600);
            log.failCommitOf = 2; // checkpoint 2 is on disk, but its output never becomes visible
            assertThrows(RingflowException.class, () -> pipeline.checkpoint(TIMEOUT));
            assertThrows(PipelineFailedException.class, () -> pipeline.awaitTermination(TIMEOUT));
        }
        assertTrue(Files.exists(directory.resolve("checkpoints/chk-2/MANIFEST")));

        log.failCommitOf = -1;
        try (Pipeline pipeline = counting("counts", log, new AtomicInteger(), 2)) {
            assertTrue(Files.notExists(directory.resolve("checkpoints/chk-2")), "the uncommitted checkpoint stays");
            pipeline.start();
            awaitTrue(() -> {
                synchronized (log) {
                    return log.open.size() + log.committed.size() >= RECORDS;
                }
            });
        } // the clean close commits the rest with a final checkpoint
        List<String> expected = new java.util.ArrayList<>();
        for (int k = 0; k < KEYS; k++) {
            for (long n = 1; n <= RECORDS / KEYS; n++) {
                expected.add("k" + k + "=" + n);
            }
        }
        List<String> seen = log.committed.stream().map(kv -> kv.key() + "=" + kv.value()).sorted().toList();
        assertEquals(expected.stream().sorted().toList(), seen, "every count update visible exactly once");
        assertEquals(2, log.lastCommitted, "the clean close commits a final checkpoint, in place of the discarded 2");
    }

    @Test
    void heapStateIsRefusedWithCheckpointsAndTheDirectoryStaysUsable() throws Exception {
        StreamBuilder builder = new StreamBuilder("heap");
        builder.source("numbers", resumable(new AtomicInteger())).keyBy(s -> s)
                .count(Named.as("on-heap"), Materialized.inMemory()).toStream().to((v, t) -> { });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Pipeline(builder.build(),
                PipelineConfig.defaults().withStateDirectory(directory).withCheckpointing(Duration.ZERO)));
        assertTrue(e.getMessage().contains("operator 'on-heap' keeps its state on the heap (Materialized.inMemory()),"
                + " which checkpoints do not capture"), e.getMessage());
        try (Pipeline pipeline = counting("counts", new ConcurrentHashMap<>(), new AtomicInteger(), 1)) {
            pipeline.start(); // the refused pipeline let go of the state directory's lock
            assertEquals(1, pipeline.checkpoint(TIMEOUT));
        }
    }

    @Test
    void aSourceThatRecordsNoPositionIsWarnedOfAtItsFirstCheckpoint() throws Exception {
        java.util.concurrent.CountDownLatch emitted = new java.util.concurrent.CountDownLatch(1);
        StreamBuilder builder = new StreamBuilder("unpositioned");
        builder.source("forgetful", (Source<String>) context -> {
            context.emit("k0");
            emitted.countDown();
            while (context.isRunning()) {
                Thread.sleep(1);
            }
        }).keyBy(s -> s).count(Named.as("counts")).toStream().to((kv, ts) -> { });
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(log, true, StandardCharsets.UTF_8)); // where slf4j-simple logs
        try (Pipeline pipeline = new Pipeline(builder.build(),
                PipelineConfig.defaults().withStateDirectory(directory).withCheckpointing(Duration.ZERO))) {
            pipeline.start();
            assertTrue(emitted.await(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            pipeline.checkpoint(TIMEOUT);
        } finally {
            System.setErr(stderr);
        }
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("source 'forgetful' reader 0 records no position in"
                + " checkpoints: after a restore it reads its input from the start again"), log.toString());
    }

    @Test
    void twoExactlyOnceSinksAreRefusedBecauseACrashBetweenTheirCommitsWouldWriteOneTwice() {
        StreamBuilder builder = new StreamBuilder("two-transactions");
        EventStream<KeyValue<String, Long>> in = builder.source("numbers", resumable(new AtomicInteger()))
                .keyBy(s -> s).count(Named.as("counts")).toStream();
        in.to(new TransactionLog(), Named.as("first"));
        in.to(new TransactionLog(), Named.as("second"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new Pipeline(
                builder.build(), PipelineConfig.defaults().withStateDirectory(directory).withCheckpointing(Duration.ZERO)));
        assertEquals("pipeline 'two-transactions': sinks 'first' and 'second' are both exactly-once, and each commits"
                + " in a transaction of its own: a crash between their commits would make a restore write one of them"
                + " twice. Send the results through one exactly-once sink (merge the streams first), or build the"
                + " others at-least-once", refused.getMessage());
    }

    @Test
    void aTransactionalSinkNeedsCheckpoints() {
        StreamBuilder builder = new StreamBuilder("no-checkpoints");
        builder.source("numbers", resumable(new AtomicInteger())).keyBy(s -> s).count().toStream()
                .to(new TransactionLog(), Named.as("exactly-once"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Pipeline(builder.build(), PipelineConfig.defaults().withStateDirectory(directory)));
        assertTrue(e.getMessage().contains("sink 'exactly-once'") && e.getMessage().contains(
                "turn them on with PipelineConfig.withCheckpointing(interval)"), e.getMessage());
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
