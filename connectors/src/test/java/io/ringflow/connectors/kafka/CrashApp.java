package io.ringflow.connectors.kafka;

import io.ringflow.EventStream;
import io.ringflow.KeyValue;
import io.ringflow.Named;
import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.StreamBuilder;
import io.ringflow.watermark.WatermarkStrategy;
import io.ringflow.windowing.TumblingWindows;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The application {@code CrashRecoveryTest} kills: per key, a count per 1 s event-time window
 * of the records in {@code crash-in}, written to {@code crash-out} when the window closes,
 * with a checkpoint every 200 ms into the state directory it is given. Runs until killed.
 *
 * <p>Arguments: bootstrap servers, state directory, {@code at-least-once} or {@code exactly-once}
 * (the sink's mode).
 */
public final class CrashApp {

    private CrashApp() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        StreamBuilder builder = new StreamBuilder("crash-app");
        countsPerWindow(builder.source("in", KafkaSource.<KeyValue<String, String>>builder()
                        .bootstrapServers(bootstrap)
                        .partitions(new TopicPartition("crash-in", 0))
                        .groupId("crash-app")
                        .deserializer(KafkaSource.keyValue(new StringDeserializer(), new StringDeserializer()))
                        .build()))
                .to(sink(bootstrap, args[2].equals("exactly-once")));
        Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults()
                .withStateDirectory(Path.of(args[1]))
                .withCheckpointing(Duration.ofMillis(200)));
        pipeline.start();
        System.out.println("started");
        pipeline.awaitTermination(Duration.ofDays(1));
    }

    /**
     * What the crash and scale-out applications compute: per key, the count of each 1 s
     * event-time window (100 ms out of order allowed), as {@code key@windowStart -> count}
     * when the window closes.
     */
    static EventStream<KeyValue<String, String>> countsPerWindow(EventStream<KeyValue<String, String>> input) {
        return input.withWatermarks(WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(100)))
                .keyBy(KeyValue::key)
                .window(TumblingWindows.of(Duration.ofSeconds(1)))
                .count(Named.as("counts"))
                .toStream()
                .map(kv -> KeyValue.of(kv.key().key() + "@" + kv.key().window().start(), Long.toString(kv.value())));
    }

    private static KafkaSink<KeyValue<String, String>> sink(String bootstrap, boolean exactlyOnce) {
        KafkaSink.Builder<KeyValue<String, String>> sink = KafkaSink.<KeyValue<String, String>>builder()
                .bootstrapServers(bootstrap)
                .topic("crash-out")
                .serializer(KafkaSink.keyValue(new StringSerializer(), new StringSerializer()));
        return exactlyOnce ? sink.buildExactlyOnce("crash-app") : sink.build();
    }
}
