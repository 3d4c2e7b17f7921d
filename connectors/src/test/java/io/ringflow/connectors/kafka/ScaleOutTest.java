package io.ringflow.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.KeyValue;
import io.ringflow.Named;
import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.StreamBuilder;
import io.ringflow.collection.CollectingSink;
import io.ringflow.connectors.kafka.testing.KafkaBroker;
import io.ringflow.watermark.WatermarkStrategy;
import io.ringflow.windowing.TumblingWindows;
import io.ringflow.windowing.Windowed;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of one application share a consumer group and a checkpoint directory; keyed
 * state (a running count and open windows) follows each partition as instances join, leave
 * and come back, so every count is exact whichever instance made it.
 */
class ScaleOutTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String TOPIC = "moves";
    private static final String GROUP = "g-moves";
    private static final int PARTITIONS = 4;
    private static final int KEYS = 16;
    /** Records per key per batch: 100 ms apart in event time, so 10 per one-second window. */
    private static final int PER_BATCH = 40;
    /** Event times start near now, rounded so window starts read easily in a failure message. */
    private static final long BASE = System.currentTimeMillis() / 1_000_000 * 1_000_000;

    private static KafkaBroker broker;
    private static KafkaTopicIo kafka;
    private static Admin admin;

    @TempDir
    Path directory;

    /** Every instance started, so a failed test stops them before its directory is deleted under them. */
    private final List<Pipeline> started = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start();
        kafka = new KafkaTopicIo(broker.bootstrapServers());
        admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
        broker.createTopic(TOPIC, PARTITIONS);
    }

    @AfterEach
    void closeInstances() {
        started.forEach(Pipeline::close); // a no-op for those the test closed
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        kafka.close();
        broker.close();
    }

    /** One instance: its pipeline and what it wrote. */
    private final class Instance implements AutoCloseable {
        final CollectingSink<KeyValue<String, Long>> counts = new CollectingSink<>();
        final CollectingSink<KeyValue<Windowed<String>, Long>> windows = new CollectingSink<>();
        final Pipeline pipeline;
        final String name;

        Instance(String id) {
            this(id, TOPIC, GROUP);
        }

        Instance(String id, String topic, String group) {
            this.name = id;
            StreamBuilder builder = new StreamBuilder("moves");
            var keyed = builder.source("in", KafkaSource.<KeyValue<String, String>>builder()
                                    .bootstrapServers(broker.bootstrapServers())
                                    .topics(topic).groupId(group)
                                    .deserializer(KafkaSource.keyValue(new StringDeserializer(), new StringDeserializer()))
                                    .property("heartbeat.interval.ms", 200)
                                    .build(),
                            WatermarkStrategy.forMonotonousTimestamps())
                    // No filter for the "end" markers: each partition's windows close on the
                    // watermark of that partition's records that reach them.
                    .keyBy(KeyValue::key);
            keyed.count(Named.as("counts")).toStream().to(counts, Named.as("counts-out"));
            keyed.window(TumblingWindows.of(Duration.ofSeconds(1))).count(Named.as("windows")).toStream()
                    .to(windows, Named.as("windows-out"));
            pipeline = new Pipeline(builder.build(), PipelineConfig.defaults()
                    .withParallelism(2)
                    .withStateDirectory(directory.resolve(id))
                    // No periodic checkpoint: every hand-over rides on the one a move or a stop takes.
                    .withCheckpointing(Duration.ofHours(1))
                    .withSharedCheckpoints(directory.resolve("shared"), id));
            pipeline.start();
            started.add(pipeline);
        }

        /** Each key's counts in the order this instance emitted them. */
        Map<String, List<Long>> countsByKey() {
            Map<String, List<Long>> byKey = new TreeMap<>();
            counts.values().stream().filter(kv -> !isMarker(kv.key()))
                    .forEach(kv -> byKey.computeIfAbsent(kv.key(), k -> new ArrayList<>()).add(kv.value()));
            return byKey;
        }

        @Override
        public void close() throws Exception {
            pipeline.stop();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
            pipeline.close();
        }
    }

    @Test
    void keyedStateAndOpenWindowsFollowTheirPartitionsAsInstancesJoinLeaveAndReturn() throws Exception {
        Instance a = new Instance("a");
        produce(0);
        await(() -> highestCounts(a).values().stream().allMatch(c -> c == PER_BATCH), "a counts the first batch");

        Instance b = new Instance("b");
        awaitAssignment(2);
        for (int p = 0; p < PARTITIONS; p++) {
            // Every partition has closed its first windows, on a: late wherever the partition now
            // runs, even as the first record a moved partition gets on b.
            kafka.send(TOPIC, p, "late", "x", BASE + 500);
        }
        produce(1);
        await(() -> highestCounts(a, b).values().stream().allMatch(c -> c == 2 * PER_BATCH), "both count the second");
        Map<String, List<Long>> fromB = b.countsByKey();
        assertFalse(fromB.isEmpty(), "b took no partitions over");
        for (Map.Entry<String, List<Long>> key : fromB.entrySet()) {
            // An orderly hand-over: b continues exactly where a's state stood, nothing re-read.
            assertEquals(range(PER_BATCH + 1, 2 * PER_BATCH), key.getValue(), key.getKey() + " on b");
            assertEquals(range(1, PER_BATCH), a.countsByKey().get(key.getKey()), key.getKey() + " on a");
        }
        for (Map.Entry<String, List<Long>> key : a.countsByKey().entrySet()) {
            if (!fromB.containsKey(key.getKey())) {
                assertEquals(range(1, 2 * PER_BATCH), key.getValue(), key.getKey() + " stayed on a");
            }
        }

        a.close();
        awaitAssignment(1);
        produce(2);
        await(() -> highestCounts(b).values().stream().allMatch(c -> c == 3 * PER_BATCH), "b counts everything");
        for (Map.Entry<String, List<Long>> key : b.countsByKey().entrySet()) {
            // a stayed in the group until its final checkpoint: b continues from it, nothing re-read
            long first = fromB.containsKey(key.getKey()) ? PER_BATCH + 1 : 2 * PER_BATCH + 1;
            assertEquals(range(first, 3 * PER_BATCH), key.getValue(), key.getKey() + " on b after a stopped");
        }

        Instance back = new Instance("a");
        awaitAssignment(2);
        produce(3);
        for (int p = 0; p < PARTITIONS; p++) {
            kafka.send(TOPIC, p, "end", "end", BASE + 1_000_000L); // closes every window (the broker takes up to an hour ahead)
        }
        await(() -> highestCounts(back, b).values().stream().allMatch(c -> c == 4 * PER_BATCH),
                () -> "all four batches: " + highestCounts(back, b) + " returned " + back.countsByKey().keySet());
        Map<String, List<Long>> fromReturned = back.countsByKey();
        assertFalse(fromReturned.isEmpty(), "the returning instance took no partitions back");
        for (List<Long> counts : fromReturned.values()) {
            // It takes b's state, not the older state of its own last checkpoint.
            assertEquals(range(3 * PER_BATCH + 1, 4 * PER_BATCH), counts);
        }
        int windowsPerBatch = PER_BATCH / 10;
        await(() -> windowCounts(a, b, back).size() >= KEYS * windowsPerBatch * 4, "every window closed");
        assertFalse(windowCounts(a, b, back).keySet().stream().anyMatch(window -> window.startsWith("late@")),
                "a record late on its partition's old owner counted on the new one: " + windowCounts(a, b, back));
        for (Instance instance : List.of(a, b, back)) {
            for (KeyValue<String, Long> count : instance.counts.values()) {
                assertTrue(count.key().equals("end") || count.value() <= 4 * PER_BATCH, "counted twice: " + count);
            }
            for (KeyValue<Windowed<String>, Long> window : instance.windows.values()) {
                if (window.key().key().equals("end")) {
                    continue;
                }
                assertEquals(10L, window.value(), "window " + window.key() + " from " + instance.name + "; late: "
                        + a.pipeline.lateRecords("windows") + " " + b.pipeline.lateRecords("windows") + " "
                        + back.pipeline.lateRecords("windows") + "; all " + instance.windows.values());
            }
        }
        back.close();
        b.close();
        assertTrue(Files.isDirectory(directory.resolve("shared").resolve("a")));
    }

    @Test
    void aRestartedInstanceKeepsItsPartitionsWithTheirEventTime() throws Exception {
        broker.createTopic("restart", PARTITIONS);
        Instance first = new Instance("solo", "restart", "g-restart");
        produce("restart", 0);
        await(() -> highestCounts(first).values().stream().allMatch(c -> c == PER_BATCH), "the first batch counted");
        first.close();

        Instance again = new Instance("solo", "restart", "g-restart");
        for (int p = 0; p < PARTITIONS; p++) {
            // The first record each partition gets after the restart, and late: its window closed before the stop.
            kafka.send("restart", p, "late", "x", BASE + 500);
        }
        produce("restart", 1);
        for (int p = 0; p < PARTITIONS; p++) {
            kafka.send("restart", p, "end", "end", BASE + 1_000_000L);
        }
        await(() -> highestCounts(again).values().stream().allMatch(c -> c == 2 * PER_BATCH), "the second batch counted");
        await(() -> windowCounts(first, again).size() >= KEYS * (PER_BATCH / 10) * 2, "every window closed");
        for (Map.Entry<String, List<Long>> key : again.countsByKey().entrySet()) {
            assertEquals(range(PER_BATCH + 1, 2 * PER_BATCH), key.getValue(), key.getKey() + ": nothing read twice");
        }
        assertFalse(windowCounts(first, again).keySet().stream().anyMatch(window -> window.startsWith("late@")),
                "a record late before the restart counted after it: " + windowCounts(first, again));
        // the four late records, and batch 1's marker on partition 0, older than that partition's batch-1 records
        assertEquals(5, again.pipeline.lateRecords("windows"));
        again.close();
    }

    @Test
    void whenAnInstanceIsKilledTheOtherTakesItsPartitionsFromItsLastCheckpointAndCountsStayExact() throws Exception {
        broker.createTopic("failover-in", PARTITIONS);
        broker.createTopic("failover-out", 1);
        Path shared = directory.resolve("shared");
        Map<String, String> expected = new TreeMap<>();
        Map<String, Long> counts = new TreeMap<>();
        Process a = startApp("a", shared, 0);
        Process b = startApp("b", shared, 0);
        Process returned = null;
        try {
            awaitLog("a", 0, 0, "started");
            awaitLog("b", 0, 0, "started");
            awaitAssignment("failover", 2);
            long start = System.nanoTime();
            int beforeKill = 0;
            int records = 30_000;
            for (int i = 0; i < records; i++) {
                String key = key(i % KEYS);
                // 500 records per event-time second; one in 50 is 5 s late, its window long closed
                // wherever its partition runs: a move must not make it count.
                boolean late = i % 50 == 25 && i > 5_000;
                long time = BASE + i * 2L - (late ? 5_000 : 0);
                kafka.sendAsync("failover-in", null, key, "x", time);
                if (!late) {
                    counts.merge(key + "@" + time / 1_000 * 1_000, 1L, Long::sum);
                }
                if (i == records / 4) {
                    a.destroyForcibly().waitFor(); // SIGKILL: no hand-over, no final checkpoint
                    beforeKill = logOf("b", 0).length(); // b took partitions from a's checkpoints at start too
                }
                if (i == records / 2) {
                    // The group notices the death after the session timeout (6 s); the rest keeps its pace after.
                    awaitLog("b", 0, beforeKill, "moves here with its state from checkpoint " + shared.resolve("a"));
                    start = System.nanoTime() - i * 333_333L;
                    returned = startApp("a", shared, 1);
                }
                // about 3,000 records a second, so the instances are mid-stream when one dies
                long due = start + i * 333_333L;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
            }
            for (int p = 0; p < PARTITIONS; p++) {
                kafka.send("failover-in", p, "end", "end", BASE + 1_000_000L); // closes every window (the broker takes up to an hour ahead)
            }
            counts.forEach((window, count) -> expected.put(window, Long.toString(count)));
            Map<String, String> last = new TreeMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline && !last.equals(expected)) {
                last.clear();
                kafka.read("failover-out", Integer.MAX_VALUE, Duration.ofSeconds(2)).stream()
                        .filter(r -> !r.key().startsWith("end@"))
                        .forEach(r -> last.put(r.key(), r.value()));
            }
            assertEquals(expected, last, "windowed counts after one instance was killed and came back");
            // The group may settle after the last result: the hand-back is awaited, not assumed.
            awaitLog("a", 1, 0, "moves here with its state from checkpoint " + shared.resolve("b"));
        } finally {
            a.destroyForcibly().waitFor();
            b.destroyForcibly().waitFor();
            if (returned != null) {
                returned.destroyForcibly().waitFor();
            }
        }
    }

    private Process startApp(String id, Path shared, int run) throws Exception {
        File log = logFile(id, run).toFile();
        return new ProcessBuilder(ChildJava.command(List.of("-Dorg.slf4j.simpleLogger.log.io.ringflow=info"),
                ScaleOutApp.class.getName(), broker.bootstrapServers(), directory.resolve(id).toString(),
                shared.toString(), id))
                .redirectErrorStream(true)
                .redirectOutput(log)
                .start();
    }

    private static Path logFile(String id, int run) {
        return Path.of("target", "scale-out-app-" + id + "-" + run + ".log");
    }

    private static String logOf(String id, int run) throws IOException {
        return Files.exists(logFile(id, run)) ? Files.readString(logFile(id, run)) : "";
    }

    /** Waits until {@code text} appears in the log of instance {@code id}'s run {@code run} after character {@code from}. */
    private static void awaitLog(String id, int run, int from, String text) throws InterruptedException {
        await(() -> {
            try {
                return logOf(id, run).indexOf(text, from) >= 0;
            } catch (IOException e) {
                return false;
            }
        }, () -> "'" + text + "' in " + logFile(id, run) + ", which ends:\n" + tail(id, run));
    }

    private static String tail(String id, int run) {
        try {
            String log = logOf(id, run);
            return log.substring(Math.max(0, log.length() - 4_000));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Batch {@code batch}: {@link #PER_BATCH} records per key, keyed so the producer partitions them by key. */
    private static void produce(int batch) throws Exception {
        produce(TOPIC, batch);
    }

    private static void produce(String topic, int batch) throws Exception {
        for (int i = 0; i < PER_BATCH; i++) {
            for (int k = 0; k < KEYS; k++) {
                kafka.sendAsync(topic, null, key(k), "x", BASE + batch * 100_000L + i * 100L);
            }
        }
        kafka.send(topic, 0, "end", "end", BASE + batch * 100_000L); // waits for the rest to be acknowledged
    }

    /** Keys of records sent to close windows or to be late, not counted per batch. */
    private static boolean isMarker(String key) {
        return key.equals("end") || key.equals("late");
    }

    private static String key(int k) {
        return String.format("k%02d", k);
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    /** Each key's highest count over the instances, for every key. */
    private static Map<String, Long> highestCounts(Instance... instances) {
        Map<String, Long> highest = new TreeMap<>();
        for (int k = 0; k < KEYS; k++) {
            highest.put(key(k), 0L);
        }
        for (Instance instance : instances) {
            instance.counts.values().stream().filter(kv -> !isMarker(kv.key()))
                    .forEach(kv -> highest.merge(kv.key(), kv.value(), Math::max));
        }
        return highest;
    }

    private static Map<String, Long> windowCounts(Instance... instances) {
        Map<String, Long> windows = new TreeMap<>();
        for (Instance instance : instances) {
            instance.windows.values().stream().filter(kv -> !kv.key().key().equals("end"))
                    .forEach(kv -> windows.put(kv.key().key() + "@" + kv.key().window().start(), kv.value()));
        }
        return windows;
    }

    /** Waits until the group is stable with {@code members} members, each owning a partition. */
    private static void awaitAssignment(int members) throws Exception {
        awaitAssignment(GROUP, members);
    }

    private static void awaitAssignment(String groupId, int members) throws Exception {
        await(() -> {
            try {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
                return group.groupState() == GroupState.STABLE && group.members().size() == members
                        && group.members().stream().map(MemberDescription::assignment)
                        .allMatch(assignment -> !assignment.topicPartitions().isEmpty());
            } catch (Exception e) {
                return false;
            }
        }, members + " member(s) own partitions");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        await(condition, () -> what);
    }

    private static void await(BooleanSupplier condition, Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what.get());
            }
            Thread.sleep(50);
        }
    }
}
