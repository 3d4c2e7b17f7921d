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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
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

    private static KafkaBroker broker;
    private static KafkaTopicIo kafka;
    private static Admin admin;

    @TempDir
    Path directory;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start();
        kafka = new KafkaTopicIo(broker.bootstrapServers());
        admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
        broker.createTopic(TOPIC, PARTITIONS);
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

        Instance(String id) {
            StreamBuilder builder = new StreamBuilder("moves");
            var keyed = builder.source("in", KafkaSource.<KeyValue<String, String>>builder()
                                    .bootstrapServers(broker.bootstrapServers())
                                    .topics(TOPIC).groupId(GROUP)
                                    .deserializer(KafkaSource.keyValue(new StringDeserializer(), new StringDeserializer()))
                                    .property("heartbeat.interval.ms", 200)
                                    .build(),
                            WatermarkStrategy.forMonotonousTimestamps())
                    .filter(kv -> !kv.key().equals("end"))
                    .keyBy(KeyValue::key);
            keyed.count(Named.as("counts")).toStream().to(counts, Named.as("counts-out"));
            keyed.window(TumblingWindows.of(Duration.ofSeconds(1))).count(Named.as("windows")).toStream()
                    .to(windows, Named.as("windows-out"));
            pipeline = new Pipeline(builder.build(), PipelineConfig.defaults()
                    .withParallelism(2)
                    .withStateDirectory(directory.resolve(id))
                    .withCheckpointing(Duration.ofMillis(500))
                    .withSharedCheckpoints(directory.resolve("shared"), id));
            pipeline.start();
        }

        /** Each key's counts in the order this instance emitted them. */
        Map<String, List<Long>> countsByKey() {
            Map<String, List<Long>> byKey = new TreeMap<>();
            counts.values().forEach(kv -> byKey.computeIfAbsent(kv.key(), k -> new ArrayList<>()).add(kv.value()));
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

        Instance back = new Instance("a");
        awaitAssignment(2);
        produce(3);
        for (int p = 0; p < PARTITIONS; p++) {
            kafka.send(TOPIC, p, "end", "end", 1_000_000_000L); // closes every window
        }
        await(() -> highestCounts(back, b).values().stream().allMatch(c -> c == 4 * PER_BATCH), "all four batches");
        Map<String, List<Long>> fromReturned = back.countsByKey();
        assertFalse(fromReturned.isEmpty(), "the returning instance took no partitions back");
        for (List<Long> counts : fromReturned.values()) {
            // It takes b's state, not the older state of its own last checkpoint.
            assertEquals(range(3 * PER_BATCH + 1, 4 * PER_BATCH), counts);
        }
        int windowsPerBatch = PER_BATCH / 10;
        await(() -> windowCounts(a, b, back).size() == KEYS * windowsPerBatch * 4, "every window closed");
        for (Instance instance : List.of(a, b, back)) {
            for (KeyValue<String, Long> count : instance.counts.values()) {
                assertTrue(count.value() <= 4 * PER_BATCH, "counted twice: " + count);
            }
            for (KeyValue<Windowed<String>, Long> window : instance.windows.values()) {
                assertEquals(10L, window.value(), "window " + window.key());
            }
        }
        back.close();
        b.close();
        assertTrue(Files.isDirectory(directory.resolve("shared").resolve("a")));
    }

    /** Batch {@code batch}: {@link #PER_BATCH} records per key, keyed so the producer partitions them by key. */
    private static void produce(int batch) throws Exception {
        for (int i = 0; i < PER_BATCH; i++) {
            for (int k = 0; k < KEYS; k++) {
                kafka.sendAsync(TOPIC, null, key(k), "x", batch * 100_000L + i * 100L);
            }
        }
        kafka.send(TOPIC, 0, "end", "end", batch * 100_000L); // waits for the rest to be acknowledged
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
            instance.counts.values().forEach(kv -> highest.merge(kv.key(), kv.value(), Math::max));
        }
        return highest;
    }

    private static Map<String, Long> windowCounts(Instance... instances) {
        Map<String, Long> windows = new TreeMap<>();
        for (Instance instance : instances) {
            instance.windows.values().forEach(kv -> windows.put(kv.key().key() + "@" + kv.key().window().start(),
                    kv.value()));
        }
        return windows;
    }

    /** Waits until the group is stable with {@code members} members, each owning a partition. */
    private static void awaitAssignment(int members) throws Exception {
        await(() -> {
            try {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP);
                return group.groupState() == GroupState.STABLE && group.members().size() == members
                        && group.members().stream().map(MemberDescription::assignment)
                        .allMatch(assignment -> !assignment.topicPartitions().isEmpty());
            } catch (Exception e) {
                return false;
            }
        }, members + " member(s) own partitions");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(50);
        }
    }
}
