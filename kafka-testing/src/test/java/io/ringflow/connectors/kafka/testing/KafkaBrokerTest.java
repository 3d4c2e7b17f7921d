package io.ringflow.connectors.kafka.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The test broker is a real Kafka: topics, produce, consume. */
class KafkaBrokerTest {

    @Test
    void aRecordProducedToANewTopicIsConsumedBack() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start()) {
            Map<String, Object> common = Map.of("bootstrap.servers", broker.bootstrapServers());
            try (Admin admin = Admin.create(common)) {
                admin.createTopics(List.of(new NewTopic("trades", 3, (short) 1))).all().get();
                assertEquals(Set.of("trades"), admin.listTopics().names().get());
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    "bootstrap.servers", broker.bootstrapServers(), "linger.ms", 0),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("trades", 1, "AAPL", "100@187.5")).get();
            }
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    "bootstrap.servers", broker.bootstrapServers(), "auto.offset.reset", "earliest"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.assign(List.of(new TopicPartition("trades", 1)));
                consumer.seekToBeginning(List.of(new TopicPartition("trades", 1)));
                ConsumerRecords<String, String> records = ConsumerRecords.empty();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (records.isEmpty() && System.nanoTime() < deadline) {
                    records = consumer.poll(Duration.ofMillis(200));
                }
                ConsumerRecord<String, String> record = records.iterator().next();
                assertEquals("AAPL", record.key());
                assertEquals("100@187.5", record.value());
            }
        }
    }
}
