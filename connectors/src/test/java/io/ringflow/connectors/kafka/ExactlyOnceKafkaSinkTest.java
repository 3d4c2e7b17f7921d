package io.ringflow.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.PipelineFailedException;
import io.ringflow.RingflowException;
import io.ringflow.StreamBuilder;
import io.ringflow.connectors.kafka.testing.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transactional KafkaSink: what a read_committed consumer sees, and when. */
class ExactlyOnceKafkaSinkTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path state;

    private static ExactlyOnceKafkaSink<String> sink(String bootstrap) {
        return KafkaSink.<String>builder().bootstrapServers(bootstrap).topic("eo-out")
                .valueSerializer(new StringSerializer()).buildExactlyOnce("eo-test");
    }

    private Pipeline upperCase(String bootstrap) {
        StreamBuilder builder = new StreamBuilder("eo");
        builder.source("in", KafkaSource.<String>builder().bootstrapServers(bootstrap)
                        .partitions(new TopicPartition("eo-in", 0)).groupId("eo")
                        .valueDeserializer(new StringDeserializer()).build())
                .map(v -> v.toUpperCase())
                .to(sink(bootstrap));
        return new Pipeline(builder.build(), PipelineConfig.defaults().withStateDirectory(state)
                .withCheckpointing(Duration.ZERO));
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        List<String> values = new ArrayList<>();
        records.forEach(r -> values.add(r.value()));
        return values;
    }

    private static List<String> expected(int from, int to) {
        List<String> values = new ArrayList<>();
        for (int i = from; i < to; i++) {
            values.add("V" + i);
        }
        return values;
    }

    @Test
    void outputIsVisibleOnlyOnceItsCheckpointCommitsAndExactlyOnceAcrossARestart() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(); KafkaTopicIo kafka = new KafkaTopicIo(broker.bootstrapServers())) {
            String bootstrap = broker.bootstrapServers();
            broker.createTopic("eo-in", 1);
            broker.createTopic("eo-out", 1);
            for (int i = 0; i < 100; i++) {
                kafka.send("eo-in", 0, null, "v" + i, null);
            }
            try (Pipeline pipeline = upperCase(bootstrap)) {
                pipeline.start();
                assertEquals(expected(0, 100), values(kafka.read("eo-out", 100, TIMEOUT, false)),
                        "written into the open transaction");
                assertEquals(List.of(), kafka.read("eo-out", 1, Duration.ofSeconds(1), true),
                        "a read_committed consumer sees nothing before a checkpoint");
                pipeline.checkpoint(TIMEOUT);
                assertEquals(expected(0, 100), values(kafka.read("eo-out", 100, TIMEOUT, true)));
                for (int i = 100; i < 150; i++) {
                    kafka.send("eo-in", 0, null, "v" + i, null);
                }
                assertEquals(150, kafka.read("eo-out", 150, TIMEOUT, false).size());
            } // a clean close commits with the final checkpoint
            assertEquals(expected(0, 150), values(kafka.read("eo-out", 150, TIMEOUT, true)));

            for (int i = 150; i < 175; i++) {
                kafka.send("eo-in", 0, null, "v" + i, null);
            }
            try (Pipeline pipeline = upperCase(bootstrap)) {
                pipeline.start();
                assertEquals(175, kafka.read("eo-out", 175, TIMEOUT, false).size());
                long committed = pipeline.checkpoint(TIMEOUT);
                assertEquals(expected(0, 175), values(kafka.read("eo-out", 175, TIMEOUT, true)),
                        "the restart resumed after the last committed record: nothing twice, nothing lost");

                // A second writer with the same transactional id fences this one off.
                ExactlyOnceKafkaSink<String> zombie = sink(bootstrap);
                try {
                    assertEquals(committed, zombie.recover(), "the marker names the last committed checkpoint");
                } finally {
                    zombie.close();
                }
                assertThrows(RingflowException.class, () -> pipeline.checkpoint(TIMEOUT));
                PipelineFailedException failed = assertThrows(PipelineFailedException.class,
                        () -> pipeline.awaitTermination(TIMEOUT));
                assertTrue(failed.getMessage().contains("another writer with transactional id 'eo-test' has started"
                        + " and fenced this one off"), failed.getMessage());
            }
        }
    }
}
