package io.ringflow.connectors.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients writing test input and reading results back, independent of Ringflow. */
final class KafkaTopicIo implements AutoCloseable {

    private final String bootstrap;
    private final KafkaProducer<String, String> producer;
    /** The first asynchronous send that failed: a test's input lost silently would look like a bug of ours. */
    private final AtomicReference<Exception> failedSend = new AtomicReference<>();

    KafkaTopicIo(String bootstrap) {
        this.bootstrap = bootstrap;
        // Not idempotent, one request in flight: records stay in order and a refused batch (a new
        // partition's log not yet open on the broker) is simply retried. The idempotent producer
        // can instead fall into OUT_OF_ORDER_SEQUENCE_NUMBER there, retrying forever or dropping
        // a batch of input.
        this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "linger.ms", 0,
                "enable.idempotence", false, "acks", "all", "max.in.flight.requests.per.connection", 1),
                new StringSerializer(), new StringSerializer());
    }

    /** Sends one record and waits for the broker's acknowledgement (and for every earlier one's). */
    void send(String topic, Integer partition, String key, String value, Long timestamp) throws Exception {
        producer.send(new ProducerRecord<>(topic, partition, timestamp, key, value)).get();
        checkAsyncSends();
    }

    /** Sends one record without waiting; {@link #send} or {@link #close} waits for all before it. */
    void sendAsync(String topic, Integer partition, String key, String value, Long timestamp) {
        producer.send(new ProducerRecord<>(topic, partition, timestamp, key, value), (metadata, error) -> {
            if (error != null) {
                failedSend.compareAndSet(null, error);
            }
        });
    }

    private void checkAsyncSends() {
        Exception failed = failedSend.get();
        if (failed != null) {
            throw new IllegalStateException("test input was lost: an asynchronous send failed", failed);
        }
    }

    /** Reads every partition of {@code topic} from the beginning until {@code count} records arrived. */
    List<ConsumerRecord<String, String>> read(String topic, int count, Duration timeout) {
        return read(topic, count, timeout, false);
    }

    /** As {@link #read(String, int, Duration)}; {@code committedOnly}: as a read_committed consumer. */
    List<ConsumerRecord<String, String>> read(String topic, int count, Duration timeout, boolean committedOnly) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "isolation.level", committedOnly ? "read_committed" : "read_uncommitted"),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            if (count != Integer.MAX_VALUE) {
                // Anything beyond the expected count would be a duplicate: give it a moment to show.
                consumer.poll(Duration.ofMillis(300)).forEach(records::add);
            }
            return records;
        }
    }

    /** The group's committed offset of each partition of {@code topic} (-1 when none). */
    Map<Integer, Long> committed(String group, String topic, int partitions) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "group.id", group), new StringDeserializer(), new StringDeserializer())) {
            Set<TopicPartition> all = new HashSet<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            Map<Integer, Long> offsets = new TreeMap<>();
            consumer.committed(all).forEach((tp, o) -> offsets.put(tp.partition(), o == null ? -1L : o.offset()));
            return offsets;
        }
    }

    @Override
    public void close() {
        producer.close();
        checkAsyncSends();
    }
}
