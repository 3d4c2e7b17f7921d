package io.ringflow.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.KeyValue;
import io.ringflow.Named;
import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.PipelineFailedException;
import io.ringflow.StreamBuilder;
import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.connectors.kafka.testing.KafkaBroker;
import io.ringflow.error.ErrorHandler;
import io.ringflow.error.FailedRecord;
import io.ringflow.watermark.WatermarkStrategy;
import io.ringflow.windowing.TumblingWindows;
import io.ringflow.windowing.Windowed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka source and sink against a real KRaft broker started by the test. */
class KafkaConnectorTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static KafkaBroker broker;
    private static KafkaTopicIo kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start();
        kafka = new KafkaTopicIo(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
        broker.close();
    }

    private static KafkaSource.Builder<String> strings() {
        return KafkaSource.<String>builder()
                .bootstrapServers(broker.bootstrapServers())
                .valueDeserializer(new StringDeserializer());
    }

    /** Runs {@code builder}'s topology until {@code sink} holds {@code count} records, then stops it. */
    private static void runUntil(StreamBuilder builder, CollectingSink<?> sink, int count, PipelineConfig config)
            throws Exception {
        try (Pipeline pipeline = new Pipeline(builder.build(), config)) {
            pipeline.start();
            assertTrue(sink.awaitSize(count, TIMEOUT), "got only " + sink.values());
            pipeline.stop();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
    }

    @Test
    void readsAPartitionFromTheEarliestRecordInOrderAndCommitsWhatWasWritten() throws Exception {
        broker.createTopic("earliest", 1);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            kafka.send("earliest", 0, null, "v" + i, null);
            expected.add("v" + i);
        }
        CollectingSink<String> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("earliest");
        builder.source("in", strings().topics("earliest").groupId("g-earliest")
                .startingOffsets(StartingOffsets.earliest()).build()).to(sink);
        runUntil(builder, sink, 50, PipelineConfig.defaults());
        assertEquals(expected, sink.values());
        assertEquals(Map.of(0, 50L), kafka.committed("g-earliest", "earliest", 1));
    }

    @Test
    void aRestartedGroupResumesAtItsCommittedOffsetWhateverTheStartingPosition() throws Exception {
        broker.createTopic("resume", 1);
        for (int i = 0; i < 10; i++) {
            kafka.send("resume", 0, null, "a" + i, null);
        }
        CollectingSink<String> first = new CollectingSink<>();
        StreamBuilder one = new StreamBuilder("resume-1");
        one.source("in", strings().topics("resume").groupId("g-resume").build()).to(first);
        runUntil(one, first, 10, PipelineConfig.defaults());

        for (int i = 0; i < 5; i++) {
            kafka.send("resume", 0, null, "b" + i, null);
        }
        CollectingSink<String> second = new CollectingSink<>();
        StreamBuilder two = new StreamBuilder("resume-2");
        two.source("in", strings().topics("resume").groupId("g-resume")
                .startingOffsets(StartingOffsets.earliest()).build()).to(second);
        runUntil(two, second, 5, PipelineConfig.defaults());
        assertEquals(List.of("b0", "b1", "b2", "b3", "b4"), second.values());
    }

    @Test
    void aCleanStopCheckpointsWhereItReadSoARestartCountsNothingTwice(@TempDir Path state) throws Exception {
        broker.createTopic("stopped", 2);
        for (int i = 0; i < 10; i++) {
            kafka.send("stopped", i % 2, null, "a" + i, null);
        }
        // No periodic checkpoint: the only one is the final checkpoint of the clean stop.
        PipelineConfig config = PipelineConfig.defaults().withStateDirectory(state)
                .withCheckpointing(Duration.ofHours(1));
        CollectingSink<KeyValue<String, Long>> first = new CollectingSink<>();
        runUntil(countAll(first), first, 10, config);

        for (int i = 0; i < 5; i++) {
            kafka.send("stopped", i % 2, null, "b" + i, null);
        }
        CollectingSink<KeyValue<String, Long>> second = new CollectingSink<>();
        runUntil(countAll(second), second, 5, config);
        Thread.sleep(300); // anything read twice would show up here
        assertEquals(List.of(11L, 12L, 13L, 14L, 15L), second.values().stream().map(KeyValue::value).toList());
    }

    @Test
    void aFixedPartitionQuietForAWholeRunStaysInItsCheckpointsAndIsNotReadTwice(
            @TempDir Path state) throws Exception {
        broker.createTopic("quiet", 2);
        for (int i = 0; i < 200; i++) {
            kafka.send("quiet", i % 2, null, "a" + i, null);
        }
        PipelineConfig config = PipelineConfig.defaults().withStateDirectory(state)
                .withCheckpointing(Duration.ofHours(1));
        CollectingSink<KeyValue<String, Long>> first = new CollectingSink<>();
        runUntil(countQuiet(first), first, 200, config);
        for (int i = 0; i < 20; i++) {
            kafka.send("quiet", 0, null, "b" + i, null); // partition 1 stays quiet for this run
        }
        CollectingSink<KeyValue<String, Long>> second = new CollectingSink<>();
        runUntil(countQuiet(second), second, 20, config);
        assertEquals(220L, second.values().get(19).value());
        kafka.send("quiet", 0, null, "c", null);
        CollectingSink<KeyValue<String, Long>> third = new CollectingSink<>();
        runUntil(countQuiet(third), third, 1, config);
        Thread.sleep(300); // partition 1 read again would show up here
        assertEquals(List.of(221L), third.values().stream().map(KeyValue::value).toList());
    }

    @Test
    void withStateThatFollowsPartitionsAPartitionNoCheckpointHoldsIsReadFromTheStartNotFromCommittedOffsets(
            @TempDir Path directory) throws Exception {
        broker.createTopic("no-copy", 1);
        for (int i = 0; i < 100; i++) {
            kafka.send("no-copy", 0, null, "v" + i, null);
        }
        // Offsets committed by an earlier run whose checkpoints are gone: its state went with them.
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("group.id", "g-no-copy");
        try (KafkaConsumer<byte[], byte[]> committer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition("no-copy", 0);
            committer.assign(List.of(partition));
            committer.commitSync(Map.of(partition, new OffsetAndMetadata(60)));
        }
        CollectingSink<KeyValue<String, Long>> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("no-copy");
        builder.source("in", strings().topics("no-copy").groupId("g-no-copy").build())
                .keyBy(value -> "all").count(Named.as("all")).toStream().to(sink);
        runUntil(builder, sink, 100, PipelineConfig.defaults().withStateDirectory(directory.resolve("state"))
                .withCheckpointing(Duration.ofHours(1)).withSharedCheckpoints(directory.resolve("shared"), "only"));
        assertEquals(100L, sink.values().get(sink.values().size() - 1).value(),
                "empty state resumed at the committed offset 60 would count 40");
    }

    /** One running count of every record of both fixed partitions of topic {@code quiet}, read without a group. */
    private static StreamBuilder countQuiet(CollectingSink<KeyValue<String, Long>> sink) {
        StreamBuilder builder = new StreamBuilder("quiet");
        builder.source("in", strings().partitions(new TopicPartition("quiet", 0),
                        new TopicPartition("quiet", 1)).build())
                .keyBy(value -> "all")
                .count(Named.as("all"))
                .toStream()
                .to(sink);
        return builder;
    }

    /** One running count of every record of topic {@code stopped}. */
    private static StreamBuilder countAll(CollectingSink<KeyValue<String, Long>> sink) {
        StreamBuilder builder = new StreamBuilder("stopped");
        builder.source("in", strings().topics("stopped").groupId("g-stopped").build())
                .keyBy(value -> "all")
                .count(Named.as("all"))
                .toStream()
                .to(sink);
        return builder;
    }

    @Test
    void latestSkipsWhatWasThereBeforeTheStart() throws Exception {
        broker.createTopic("latest", 1);
        for (int i = 0; i < 20; i++) {
            kafka.send("latest", 0, null, "old" + i, null);
        }
        CollectingSink<String> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("latest");
        builder.source("in", strings().partitions(new TopicPartition("latest", 0))
                .startingOffsets(StartingOffsets.latest()).build()).to(sink);
        try (Pipeline pipeline = new Pipeline(builder.build())) {
            pipeline.start();
            // The reader pins its position when it starts; keep sending until it shows up.
            int sent = 0;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (sink.values().isEmpty() && System.nanoTime() < deadline) {
                kafka.send("latest", 0, null, "new" + sent++, null);
                Thread.sleep(20);
            }
            kafka.send("latest", 0, null, "last", null);
            assertTrue(sink.awaitSize(1, TIMEOUT));
            long end = System.nanoTime() + TIMEOUT.toNanos();
            while (!sink.values().contains("last") && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            pipeline.stop();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        List<String> values = sink.values();
        assertTrue(values.stream().noneMatch(v -> v.startsWith("old")), "read records from before the start: " + values);
        assertEquals("last", values.get(values.size() - 1));
        // What it read after the start is an unbroken run of what was sent.
        int firstNew = Integer.parseInt(values.get(0).substring(3));
        for (int i = 0; i < values.size() - 1; i++) {
            assertEquals("new" + (firstNew + i), values.get(i));
        }
    }

    @Test
    void startsEachPartitionAtTheGivenOffset() throws Exception {
        broker.createTopic("offsets", 2);
        for (int i = 0; i < 10; i++) {
            kafka.send("offsets", 0, null, "p0-" + i, null);
            kafka.send("offsets", 1, null, "p1-" + i, null);
        }
        CollectingSink<String> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("offsets");
        TopicPartition p0 = new TopicPartition("offsets", 0);
        TopicPartition p1 = new TopicPartition("offsets", 1);
        builder.source("in", strings().partitions(p0, p1)
                .startingOffsets(StartingOffsets.offsets(Map.of(p0, 7L, p1, 3L))).build()).to(sink);
        runUntil(builder, sink, 10, PipelineConfig.defaults());
        List<String> fromP0 = new ArrayList<>();
        List<String> fromP1 = new ArrayList<>();
        sink.values().forEach(v -> (v.startsWith("p0") ? fromP0 : fromP1).add(v));
        assertEquals(List.of("p0-7", "p0-8", "p0-9"), fromP0);
        assertEquals(List.of("p1-3", "p1-4", "p1-5", "p1-6", "p1-7", "p1-8", "p1-9"), fromP1);
    }

    @Test
    void startsAtTheFirstRecordAtOrAfterATimestampAndUsesRecordTimestampsAsEventTime() throws Exception {
        broker.createTopic("timestamps", 1);
        for (int i = 1; i <= 10; i++) {
            kafka.send("timestamps", 0, null, "t" + i, i * 1_000L);
        }
        CollectingSink<KeyValue<String, Long>> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("timestamps");
        builder.source("in", strings().topics("timestamps").groupId("g-timestamps")
                        .startingOffsets(StartingOffsets.timestamp(5_500)).build())
                .<KeyValue<String, Long>>process((value, context, out) -> out.collect(KeyValue.of(value, context.timestamp())))
                .to(sink);
        runUntil(builder, sink, 5, PipelineConfig.defaults());
        assertEquals(List.of(KeyValue.of("t6", 6_000L), KeyValue.of("t7", 7_000L), KeyValue.of("t8", 8_000L),
                KeyValue.of("t9", 9_000L), KeyValue.of("t10", 10_000L)), sink.values());
    }

    @Test
    void threePartitionsKeepTheirOrderAndTheWatermarkIsTheirMinimum() throws Exception {
        // Partition p holds event times starting at p * 10 s: a reader with one watermark for
        // all three would find most of partitions 0 and 1 late behind partition 2.
        broker.createTopic("three", 3);
        Map<String, Long> expected = new TreeMap<>();
        for (int p = 0; p < 3; p++) {
            for (int i = 0; i < 100; i++) {
                long time = p * 10_000L + i * 50L;
                kafka.send("three", p, null, p + ":" + i, time);
                expected.merge("p" + p + "@" + (time / 1_000 * 1_000), 1L, Long::sum);
            }
            kafka.send("three", p, null, p + ":end", 1_000_000L); // closes every window of the data
        }
        CollectingSink<KeyValue<String, Integer>> order = new CollectingSink<>();
        CollectingSink<KeyValue<Windowed<String>, Long>> counts = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("three");
        var keyed = builder.source("in", strings().topics("three").groupId("g-three").build(),
                        WatermarkStrategy.<String>forMonotonousTimestamps())
                .filter(v -> !v.endsWith(":end"))
                .keyBy(v -> "p" + v.substring(0, v.indexOf(':')));
        keyed.map(v -> Integer.parseInt(v.substring(v.indexOf(':') + 1))).toStream().to(order, Named.as("order"));
        keyed.window(TumblingWindows.of(Duration.ofSeconds(1))).count(Named.as("counts")).toStream()
                .to(counts, Named.as("counts-out"));
        int windows = expected.size();
        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withParallelism(2))) {
            pipeline.start();
            assertTrue(counts.awaitSize(windows, TIMEOUT), "windows closed: " + counts.values());
            assertTrue(order.awaitSize(300, TIMEOUT));
            assertEquals(0, pipeline.lateRecords("counts"));
            pipeline.stop();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        Map<String, List<Integer>> perPartition = new TreeMap<>();
        order.values().forEach(kv -> perPartition.computeIfAbsent(kv.key(), k -> new ArrayList<>()).add(kv.value()));
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            all.add(i);
        }
        assertEquals(Map.of("p0", all, "p1", all, "p2", all), perPartition);
        Map<String, Long> actual = new TreeMap<>();
        counts.values().forEach(kv -> actual.put(kv.key().key() + "@" + kv.key().window().start(), kv.value()));
        assertEquals(expected, actual);
    }

    @Test
    void aWindowedCountFromKafkaToKafkaIsExactAndDropsExactlyTheLateRecords() throws Exception {
        broker.createTopic("clicks", 1);
        broker.createTopic("click-counts", 2);
        // user@time, out of order by up to 300 ms (allowed: 500 ms); two records arrive too late.
        String[] clicks = {"ann@100", "bob@350", "ann@900", "ann@620", "bob@1200", "ann@1100", "bob@1900",
            "ann@1450", "bob@2600", "ann@300", "ann@2300", "bob@2950", "bob@1700", "ann@3900", "bob@3100"};
        for (String click : clicks) {
            String[] parts = click.split("@");
            kafka.send("clicks", 0, parts[0], click, Long.parseLong(parts[1]));
        }
        kafka.send("clicks", 0, "end", "end@100000", 100_000L);
        StreamBuilder builder = new StreamBuilder("clicks");
        CollectingSink<KeyValue<String, KeyValue<String, String>>> late = new CollectingSink<>();
        builder.source("clicks", KafkaSource.<KeyValue<String, String>>builder()
                                .bootstrapServers(broker.bootstrapServers())
                                .topics("clicks").groupId("g-clicks")
                                .deserializer(KafkaSource.keyValue(new StringDeserializer(), new StringDeserializer()))
                                .build(),
                        WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(500)))
                .filter(kv -> !kv.key().equals("end"))
                .keyBy(KeyValue::key)
                .window(TumblingWindows.of(Duration.ofSeconds(1)))
                .lateRecords(late, Named.as("late"))
                .count(Named.as("counts"))
                .toStream()
                .map(kv -> KeyValue.of(kv.key().key() + "@" + kv.key().window().start(), Long.toString(kv.value())))
                .to(KafkaSink.<KeyValue<String, String>>builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .topic("click-counts")
                        .serializer(KafkaSink.keyValue(new StringSerializer(), new StringSerializer()))
                        .build());
        Map<String, String> expected = new TreeMap<>(Map.of(
                "ann@0", "3", "ann@1000", "2", "ann@2000", "1", "ann@3000", "1",
                "bob@0", "1", "bob@1000", "2", "bob@2000", "2", "bob@3000", "1"));
        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withParallelism(2))) {
            pipeline.start();
            List<ConsumerRecord<String, String>> output = kafka.read("click-counts", expected.size(), TIMEOUT);
            Map<String, String> actual = new TreeMap<>();
            output.forEach(r -> assertEquals(null, actual.put(r.key(), r.value()), "two results for " + r.key()));
            assertEquals(expected, actual);
            assertEquals(2, pipeline.lateRecords("counts"));
            pipeline.stop();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(List.of("ann@300", "bob@1700"), late.values().stream().map(kv -> kv.value().value()).sorted().toList());
    }

    @Test
    void twoInstancesWithOneGroupIdShareThePartitionsAndLoseNothingAcrossTheRebalance() throws Exception {
        broker.createTopic("shared", 4);
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < 400; i++) {
            kafka.send("shared", i % 4, null, "first-" + i, null);
            sent.add("first-" + i);
        }
        CollectingSink<String> outA = new CollectingSink<>();
        CollectingSink<String> outB = new CollectingSink<>();
        try (Pipeline a = new Pipeline(instance("shared-a", outA).build());
             Pipeline b = new Pipeline(instance("shared-b", outB).build())) {
            a.start();
            assertTrue(outA.awaitSize(400, TIMEOUT));
            b.start(); // joins the group: the partitions are split between the two
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            int i = 0;
            while (System.nanoTime() < deadline && (outB.values().isEmpty() || i < 400)) {
                kafka.send("shared", i % 4, null, "second-" + i, null);
                sent.add("second-" + i);
                i++;
                Thread.sleep(2);
            }
            int total = sent.size();
            while (System.nanoTime() < deadline && outA.values().size() + outB.values().size() < total) {
                Thread.sleep(20);
            }
            a.stop();
            b.stop();
            assertTrue(a.awaitTermination(TIMEOUT));
            assertTrue(b.awaitTermination(TIMEOUT));
        }
        assertFalse(outB.values().isEmpty(), "the second instance never got a partition");
        assertTrue(outA.values().stream().anyMatch(v -> v.startsWith("second")), "the first instance lost all partitions");
        List<String> all = new ArrayList<>(outA.values());
        all.addAll(outB.values());
        assertEquals(sent, new HashSet<>(all), "lost or invented records");
        // Partitions moved on a clean rebalance: offsets were committed for exactly what was written.
        assertEquals(sent.size(), all.size(), "records written twice");
        Map<Integer, Long> committed = kafka.committed("g-shared", "shared", 4);
        assertEquals(sent.size(), committed.values().stream().mapToLong(Long::longValue).sum());
    }

    private static StreamBuilder instance(String name, CollectingSink<String> out) {
        StreamBuilder builder = new StreamBuilder(name);
        builder.source("in", strings().topics("shared").groupId("g-shared")
                .commitInterval(Duration.ofMillis(200)).build()).to(out);
        return builder;
    }

    @Test
    void aRecordThatFailsToDeserializeGoesToTheErrorHandlerAndTheOthersFlow() throws Exception {
        broker.createTopic("numbers", 1);
        for (String value : List.of("1", "2", "x", "4")) {
            kafka.send("numbers", 0, null, value, null);
        }
        CollectingSink<Integer> sink = new CollectingSink<>();
        CollectingSink<FailedRecord> deadLetters = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("numbers");
        builder.source("in", KafkaSource.<Integer>builder()
                .bootstrapServers(broker.bootstrapServers())
                .topics("numbers").groupId("g-numbers")
                .deserializer(record -> Integer.parseInt(new String(record.value(), StandardCharsets.UTF_8)))
                .build()).to(sink);
        runUntil(builder, sink, 3, PipelineConfig.defaults().withErrorHandler(ErrorHandler.deadLetter(deadLetters)));
        assertEquals(List.of(1, 2, 4), sink.values());
        assertEquals(1, deadLetters.values().size());
        FailedRecord failed = deadLetters.values().get(0);
        ConsumerRecord<?, ?> raw = assertInstanceOf(ConsumerRecord.class, failed.value());
        assertEquals("x", new String((byte[]) raw.value(), StandardCharsets.UTF_8));
        assertEquals(2, raw.offset());
        assertInstanceOf(NumberFormatException.class, failed.cause());
        assertEquals(Map.of(0, 4L), kafka.committed("g-numbers", "numbers", 1), "the bad record is handled, not re-read");
    }

    @Test
    void aSinkToAMissingTopicStopsTheStartWithAClearError() {
        StreamBuilder builder = new StreamBuilder("missing-sink");
        builder.source("in", CollectionSource.of("a"))
                .to(KafkaSink.<String>builder().bootstrapServers(broker.bootstrapServers()).topic("no-such-topic")
                        .valueSerializer(new StringSerializer()).build(), Named.as("out"));
        try (Pipeline pipeline = new Pipeline(builder.build())) {
            PipelineFailedException e = assertThrows(PipelineFailedException.class, pipeline::start);
            assertEquals("pipeline 'missing-sink' could not start: sink 'out' failed to open: Kafka topic(s) "
                    + "[no-such-topic] for sink to topic 'no-such-topic' do not all exist on " + broker.bootstrapServers()
                    + ": create them first (kafka-topics.sh --bootstrap-server " + broker.bootstrapServers()
                    + " --create --topic <name> --partitions <n>); Ringflow never creates topics implicitly", e.getMessage());
        }
    }

    @Test
    void aSourceOnAMissingTopicFailsThePipelineNamingTheTopic() throws Exception {
        StreamBuilder builder = new StreamBuilder("missing-source");
        builder.source("in", strings().topics("no-such-input").groupId("g-missing").build())
                .to(new CollectingSink<>());
        try (Pipeline pipeline = new Pipeline(builder.build())) {
            pipeline.start();
            PipelineFailedException e = assertThrows(PipelineFailedException.class,
                    () -> pipeline.awaitTermination(TIMEOUT));
            assertTrue(e.getMessage().contains("Kafka topic(s) [no-such-input] for source"), e.getMessage());
            assertTrue(e.getMessage().contains("create them first"), e.getMessage());
        }
    }

    @Test
    void aRecordTheBrokerRefusesGoesToTheErrorHandlerAsItselfAndTheOthersAreWritten() throws Exception {
        broker.createTopic("sized", 1);
        String big = "x".repeat(5_000);
        CollectingSink<FailedRecord> deadLetters = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("sized");
        builder.source("in", CollectionSource.of("a", big, "b"))
                .to(KafkaSink.<String>builder().bootstrapServers(broker.bootstrapServers()).topic("sized")
                        .valueSerializer(new StringSerializer()).property("max.request.size", 1_000).build());
        try (Pipeline pipeline = new Pipeline(builder.build(),
                PipelineConfig.defaults().withErrorHandler(ErrorHandler.deadLetter(deadLetters)))) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(List.of("a", "b"), kafka.read("sized", 2, TIMEOUT).stream().map(ConsumerRecord::value).toList());
        assertEquals(1, deadLetters.values().size());
        assertEquals(big, deadLetters.values().get(0).value());
        assertInstanceOf(RecordTooLargeException.class, deadLetters.values().get(0).cause());
    }

    @Test
    void aKeyValueSinkPartitionsByKey() throws Exception {
        broker.createTopic("by-key", 3);
        List<KeyValue<String, String>> input = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            input.add(KeyValue.of("k" + (i % 6), Integer.toString(i)));
        }
        StreamBuilder builder = new StreamBuilder("by-key");
        builder.source("in", CollectionSource.of(input))
                .to(KafkaSink.<KeyValue<String, String>>builder().bootstrapServers(broker.bootstrapServers())
                        .topic("by-key").serializer(KafkaSink.keyValue(new StringSerializer(), new StringSerializer()))
                        .build());
        try (Pipeline pipeline = new Pipeline(builder.build())) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        Map<String, Set<Integer>> partitionsOfKey = new HashMap<>();
        Map<String, List<String>> valuesOfKey = new TreeMap<>();
        for (ConsumerRecord<String, String> r : kafka.read("by-key", 60, TIMEOUT)) {
            partitionsOfKey.computeIfAbsent(r.key(), k -> new HashSet<>()).add(r.partition());
            valuesOfKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
        }
        assertEquals(6, partitionsOfKey.size());
        partitionsOfKey.forEach((key, partitions) -> assertEquals(1, partitions.size(), key + " went to " + partitions));
        assertEquals(List.of("0", "6", "12", "18", "24", "30", "36", "42", "48", "54"), valuesOfKey.get("k0"));
    }

    @Test
    void offsetsAreCommittedOnlyForRecordsWhoseResultsWereWritten() throws Exception {
        broker.createTopic("held", 1);
        for (int i = 0; i < 20; i++) {
            kafka.send("held", 0, null, "r" + i, null);
        }
        CountDownLatch release = new CountDownLatch(1);
        List<String> written = new CopyOnWriteArrayList<>();
        StreamBuilder builder = new StreamBuilder("held");
        builder.source("in", strings().topics("held").groupId("g-held").commitInterval(Duration.ofMillis(50)).build())
                .to((value, timestamp) -> {
                    if (value.equals("r5")) {
                        release.await(); // the sink is stuck on r5: nothing from r5 on is written
                    }
                    written.add(value);
                });
        try (Pipeline pipeline = new Pipeline(builder.build())) {
            pipeline.start();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (written.size() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(500); // ten commit intervals
            long committed = kafka.committed("g-held", "held", 1).get(0);
            assertTrue(committed <= 5, "committed offset " + committed + " while only r0..r4 were written");
            release.countDown();
            deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (written.size() < 20 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            pipeline.stop();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(20, written.size());
        assertEquals(Map.of(0, 20L), kafka.committed("g-held", "held", 1));
    }

    @Test
    void aSlowPipelinePausesTheConsumerAndLosesOrReordersNothing() throws Exception {
        broker.createTopic("slow", 2);
        for (int i = 0; i < 1_000; i++) {
            kafka.send("slow", i % 2, null, (i % 2) + ":" + i, null);
        }
        CollectingSink<String> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("slow");
        builder.source("in", strings().topics("slow").groupId("g-slow").build())
                .peek(v -> {
                    if (Integer.parseInt(v.substring(2)) % 50 == 0) {
                        Thread.sleep(20); // the 8-slot ring fills while this sleeps
                    }
                })
                .to(sink);
        runUntil(builder, sink, 1_000, PipelineConfig.defaults().withRingSize(8));
        List<Integer> p0 = new ArrayList<>();
        List<Integer> p1 = new ArrayList<>();
        sink.values().forEach(v -> (v.startsWith("0:") ? p0 : p1).add(Integer.parseInt(v.substring(2))));
        List<Integer> even = new ArrayList<>();
        List<Integer> odd = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            (i % 2 == 0 ? even : odd).add(i);
        }
        assertEquals(even, p0);
        assertEquals(odd, p1);
    }
}
