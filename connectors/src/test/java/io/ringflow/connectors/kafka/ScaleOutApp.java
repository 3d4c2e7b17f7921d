package io.ringflow.connectors.kafka;

import io.ringflow.KeyValue;
import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.StreamBuilder;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One instance of the application {@code ScaleOutTest} runs twice and kills: per key, a count
 * per 1 s event-time window of {@code failover-in} (4 partitions, keyed), written to
 * {@code failover-out} when the window closes; the instances share consumer group
 * {@code failover} and a checkpoint directory, so keyed state follows the partitions. Runs
 * until killed.
 *
 * <p>Arguments: bootstrap servers, state directory, shared checkpoint directory, instance id.
 */
public final class ScaleOutApp {

    private ScaleOutApp() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        StreamBuilder builder = new StreamBuilder("failover");
        CrashApp.countsPerWindow(builder.source("in", KafkaSource.<KeyValue<String, String>>builder()
                        .bootstrapServers(bootstrap)
                        .topics("failover-in")
                        .groupId("failover")
                        .deserializer(KafkaSource.keyValue(new StringDeserializer(), new StringDeserializer()))
                        .property("session.timeout.ms", 6_000) // the broker's minimum: a dead instance is noticed soon
                        .property("heartbeat.interval.ms", 500)
                        .build()))
                .to(KafkaSink.<KeyValue<String, String>>builder()
                        .bootstrapServers(bootstrap)
                        .topic("failover-out")
                        .serializer(KafkaSink.keyValue(new StringSerializer(), new StringSerializer()))
                        .build());
        Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults()
                .withParallelism(2)
                .withStateDirectory(Path.of(args[1]))
                .withCheckpointing(Duration.ofMillis(200))
                .withSharedCheckpoints(Path.of(args[2]), args[3]));
        pipeline.start();
        System.out.println("started");
        pipeline.awaitTermination(Duration.ofDays(1));
    }
}
