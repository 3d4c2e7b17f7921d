package io.ringflow.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.GlobalTable;
import io.ringflow.KeyValue;
import io.ringflow.Named;
import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.Source;
import io.ringflow.StreamBuilder;
import io.ringflow.Table;
import io.ringflow.collection.CollectingSink;
import io.ringflow.connectors.kafka.testing.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table and a global table read from a compacted Kafka topic of a real broker with the
 * unchanged {@link KafkaSource}: {@code KafkaSource.keyValue(...)} gives each record's key and
 * value, a tombstone's value is {@code null}, and {@code null} deletes the key from the table.
 */
class KafkaTableTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static KafkaBroker broker;
    private static KafkaTopicIo kafka;

    @TempDir
    Path state;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start();
        kafka = new KafkaTopicIo(broker.bootstrapServers());
        broker.createTopic("prices", 2, Map.of("cleanup.policy", "compact"));
        // Two updates of each of 20 keys, then a tombstone for every key from k15 on.
        for (int round = 0; round < 2; round++) {
            for (int k = 0; k < 20; k++) {
                kafka.send("prices", null, "k" + k, "p" + round + "k" + k, null);
            }
        }
        for (int k = 15; k < 20; k++) {
            kafka.send("prices", null, "k" + k, null, null);
        }
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
        broker.close();
    }

    private static KafkaSource<KeyValue<String, String>> prices() {
        return KafkaSource.<KeyValue<String, String>>builder()
                .bootstrapServers(broker.bootstrapServers())
                .partitions(new TopicPartition("prices", 0), new TopicPartition("prices", 1))
                .startingOffsets(StartingOffsets.earliest())
                .deserializer(KafkaSource.keyValue(new StringDeserializer(), new StringDeserializer()))
                .build();
    }

    /** Trades {@code "key,qty"} for k0..k24, emitted once {@code loaded} is open. */
    private static Source<String> trades(CountDownLatch loaded) {
        return context -> {
            if (!loaded.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the table did not load within 30 s");
            }
            for (int k = 0; k < 25; k++) {
                context.emit("k" + k + "," + k);
            }
        };
    }

    private static List<String> expected() {
        List<String> expected = new ArrayList<>();
        for (int k = 0; k < 25; k++) {
            expected.add("k" + k + "," + k + "@" + (k < 15 ? "p1k" + k : null));
        }
        return expected;
    }

    @Test
    void theTopicIsCompacted() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "prices");
            assertEquals("compact", admin.describeConfigs(List.of(topic)).all().get().get(topic)
                    .get("cleanup.policy").value());
        }
    }

    @Test
    void aTableFromACompactedTopicHoldsEachKeysLastValueAndForgetsTombstonedKeys() throws Exception {
        CountDownLatch loaded = new CountDownLatch(45); // every record of the topic, tombstones included
        CollectingSink<KeyValue<String, String>> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("kafka-table");
        Table<String, String> table = builder.table("prices", prices(), KeyValue::key, price -> {
            loaded.countDown();
            return price.value();
        });
        builder.source("trades", trades(loaded)).keyBy(trade -> trade.split(",")[0])
                .leftJoin(table, (trade, price) -> trade + "@" + price, Named.as("price"))
                .to(sink, Named.as("priced"));
        run(builder, sink, 2);
        assertEquals(expected(), sink.values().stream().map(KeyValue::value).sorted(KafkaTableTest::byKey).toList());
    }

    @Test
    void aGlobalTableFromACompactedTopicReachesEveryShard() throws Exception {
        CountDownLatch loaded = new CountDownLatch(2 * 45); // every record on both shards
        CollectingSink<String> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("kafka-global");
        GlobalTable<String, String> table = builder.globalTable("prices", prices(), KeyValue::key, price -> {
            loaded.countDown();
            return price.value();
        });
        builder.source("trades", trades(loaded))
                .leftJoin(table, trade -> trade.split(",")[0], (trade, price) -> trade + "@" + price)
                .to(sink, Named.as("priced"));
        run(builder, sink, 2);
        assertEquals(expected(), sink.values().stream().sorted(KafkaTableTest::byKey).toList());
    }

    private static int byKey(String a, String b) {
        return Integer.compare(Integer.parseInt(a.substring(1, a.indexOf(','))),
                Integer.parseInt(b.substring(1, b.indexOf(','))));
    }

    /** Runs until {@code sink} has all 25 results, then stops: the Kafka source never ends by itself. */
    private void run(StreamBuilder builder, CollectingSink<?> sink, int parallelism) throws Exception {
        PipelineConfig config = PipelineConfig.defaults().withParallelism(parallelism).withStateDirectory(state);
        try (Pipeline pipeline = new Pipeline(builder.build(), config)) {
            pipeline.start();
            assertTrue(sink.awaitSize(25, TIMEOUT), "got only " + sink.values());
            pipeline.stop();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(25, sink.size(), "one result per trade");
    }
}
