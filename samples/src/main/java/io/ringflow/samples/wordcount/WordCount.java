package io.ringflow.samples.wordcount;

import io.ringflow.KeyValue;
import io.ringflow.Named;
import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.samples.metrics.PrometheusEndpoint;
import io.ringflow.Sink;
import io.ringflow.Source;
import io.ringflow.StreamBuilder;
import io.ringflow.Topology;
import io.ringflow.collection.CollectionSource;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The classic first streaming program: lines of text in, a running count per word out.
 * Lines are split into words on one stage, words are routed by {@code keyBy} to the shard
 * that owns them, and each shard keeps its words' counts, emitting a new count on every
 * word.
 *
 * <p>Run it with {@code mvn -q -pl samples -am compile exec:java}: it counts the words of
 * an embedded text on two shards, prints every update as it happens, then the final counts.
 */
public final class WordCount {

    /** The opening of Moby-Dick, in the public domain. */
    static final List<String> TEXT = List.of(
            "Call me Ishmael. Some years ago - never mind how long precisely - having little",
            "or no money in my purse, and nothing particular to interest me on shore, I thought",
            "I would sail about a little and see the watery part of the world. It is a way I have",
            "of driving off the spleen and regulating the circulation. Whenever I find myself",
            "growing grim about the mouth; whenever it is a damp, drizzly November in my soul;",
            "whenever I find myself involuntarily pausing before coffin warehouses, and bringing",
            "up the rear of every funeral I meet; then, I account it high time to get to sea",
            "as soon as I can.");

    private WordCount() {
    }

    /** Lines in, {@code word=count} out on every word: the whole program. */
    public static Topology topology(Source<String> lines, Sink<KeyValue<String, Long>> counts) {
        StreamBuilder builder = new StreamBuilder("word-count");
        builder.source("lines", lines)
                .flatMap(line -> Arrays.asList(line.toLowerCase(Locale.ROOT).split("[^\\p{L}']+")))
                .filter(word -> !word.isEmpty())
                .keyBy(word -> word)
                .count(Named.as("word-counts"))
                .to(counts, Named.as("counts"));
        return builder.build();
    }

    public static void main(String[] args) throws Exception {
        Map<String, Long> latest = new ConcurrentHashMap<>();
        Sink<KeyValue<String, Long>> print = (update, timestamp) -> {
            latest.put(update.key(), update.value());
            System.out.println(Thread.currentThread().getName().replace("ringflow-word-count-", "") + "  " + update);
        };
        Topology topology = topology(CollectionSource.of(TEXT), print);
        // --serve-metrics PORT: keep the finished pipeline's meters on a Prometheus endpoint.
        PrometheusEndpoint metrics = args.length == 2 && args[0].equals("--serve-metrics")
                ? PrometheusEndpoint.start(Integer.parseInt(args[1])) : null;
        PipelineConfig config = PipelineConfig.defaults().withParallelism(2);
        if (metrics != null) {
            config = config.withMeterRegistry(metrics.registry());
        }
        System.out.println(topology.describe(config));

        Pipeline pipeline = new Pipeline(topology, config);
        pipeline.start();
        if (!pipeline.awaitTermination(Duration.ofSeconds(30))) {
            pipeline.close();
            throw new IllegalStateException("word count did not finish within 30 s");
        }
        if (metrics == null) {
            pipeline.close();
        }

        System.out.println();
        System.out.println("Final counts (" + latest.size() + " distinct words):");
        Map<String, Long> sorted = new TreeMap<>(latest);
        sorted.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(10)
                .forEach(e -> System.out.printf("%6d  %s%n", e.getValue(), e.getKey()));
        if (metrics != null) {
            System.out.println();
            System.out.println("Metrics: curl http://localhost:" + metrics.port() + "/metrics   (Ctrl-C to stop)");
            Thread.currentThread().join(); // serve until the process is stopped
        }
    }
}
