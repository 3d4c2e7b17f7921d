package io.ringflow.connectors.kafka;

import io.ringflow.KeyValue;
import io.ringflow.KeyedStream;
import io.ringflow.Named;
import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.StreamBuilder;
import io.ringflow.watermark.WatermarkStrategy;
import io.ringflow.windowing.TumblingWindows;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The application {@code ChaosTest} kills over and over: it reads {@code chaos-in} (keyed,
 * several partitions) as consumer group {@code chaos} and keeps, per key, a running count
 * written on every update to {@code chaos-counts} ({@code key -> count}) and a count per 1 s
 * event-time window written when the window closes to {@code chaos-windows}
 * ({@code key@windowStart -> count}); RocksDB state, a checkpoint every 200 ms, parallelism 2.
 *
 * <p>It prints {@code restored checkpoint N} once the pipeline is built (0: none), then
 * {@code started}; a line {@code stop} on its standard input stops it cleanly (it prints
 * {@code stopped}). Otherwise it runs until killed.
 *
 * <p>Arguments: bootstrap servers, state directory, {@code at-least-once}, {@code exactly-once}
 * (the sinks' mode), {@code count-only} (at-least-once, the running count alone: no window
 * operator opens the shards' state at start) or {@code shared} (at-least-once sinks, shared
 * checkpoints), then for {@code shared}: the shared checkpoint directory and the instance id.
 */
public final class ChaosApp {

    private ChaosApp() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String mode = args[2];
        boolean shared = mode.equals("shared");
        String instance = shared ? args[4] : "solo";
        StreamBuilder builder = new StreamBuilder("chaos");
        KeyedStream<String, KeyValue<String, String>> keyed = builder.source("in",
                        KafkaSource.<KeyValue<String, String>>builder()
                                .bootstrapServers(bootstrap)
                                .topics("chaos-in")
                                .groupId("chaos")
                                .deserializer(KafkaSource.keyValue(new StringDeserializer(), new StringDeserializer()))
                                // A static member: a restarted instance takes its partitions back at once
                                // instead of waiting for the group to notice its predecessor died.
                                .property("group.instance.id", "chaos-" + instance)
                                .property("session.timeout.ms", 6_000) // the broker's minimum
                                .property("heartbeat.interval.ms", 500)
                                .build(),
                        WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(100)))
                .keyBy(KeyValue::key);
        keyed.count(Named.as("counts")).toStream()
                .map(kv -> KeyValue.of(kv.key(), Long.toString(kv.value())), Named.as("counts-text"))
                .to(sink(bootstrap, "chaos-counts", mode, instance), Named.as("counts-out"));
        if (!mode.equals("count-only")) {
            keyed.window(TumblingWindows.of(Duration.ofSeconds(1))).count(Named.as("windows")).toStream()
                    .map(kv -> KeyValue.of(kv.key().key() + "@" + kv.key().window().start(),
                            Long.toString(kv.value())), Named.as("windows-text"))
                    // One exactly-once sink per pipeline: the windows go out at-least-once in that mode.
                    .to(sink(bootstrap, "chaos-windows", mode.equals("exactly-once") ? "at-least-once" : mode,
                            instance), Named.as("windows-out"));
        }
        PipelineConfig config = PipelineConfig.defaults()
                .withParallelism(2)
                .withStateDirectory(Path.of(args[1]))
                .withCheckpointing(Duration.ofMillis(200));
        if (shared) {
            config = config.withSharedCheckpoints(Path.of(args[3]), instance);
        }
        Pipeline pipeline = new Pipeline(builder.build(), config);
        System.out.println("restored checkpoint " + pipeline.lastCheckpoint());
        Thread stopper = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.equals("stop")) {
                        pipeline.stop();
                        return;
                    }
                }
            } catch (Exception e) {
                // the test went away: nothing to stop for
            }
        }, "chaos-stop");
        stopper.setDaemon(true);
        pipeline.start();
        System.out.println("started");
        stopper.start();
        pipeline.awaitTermination(Duration.ofDays(1));
        pipeline.close();
        System.out.println("stopped " + pipeline.state() + " at checkpoint " + pipeline.lastCheckpoint()
                + pipeline.failure().map(f -> ", failed: " + f).orElse(""));
    }

    private static KafkaSink<KeyValue<String, String>> sink(String bootstrap, String topic, String mode,
                                                            String instance) {
        KafkaSink.Builder<KeyValue<String, String>> sink = KafkaSink.<KeyValue<String, String>>builder()
                .bootstrapServers(bootstrap)
                .topic(topic)
                .serializer(KafkaSink.keyValue(new StringSerializer(), new StringSerializer()));
        return mode.equals("exactly-once") ? sink.buildExactlyOnce(topic + "-" + instance) : sink.build();
    }
}
