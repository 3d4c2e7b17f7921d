package io.ringflow.samples.wordcount;

import io.ringflow.EventStream;
import io.ringflow.KeyValue;
import io.ringflow.KeyedStream;
import io.ringflow.Named;
import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.Sink;
import io.ringflow.Source;
import io.ringflow.StreamBuilder;
import io.ringflow.Topology;
import io.ringflow.connectors.file.FileSource;
import io.ringflow.connectors.rate.RateSource;
import io.ringflow.connectors.socket.SocketSource;
import io.ringflow.samples.metrics.PrometheusEndpoint;
import io.ringflow.watermark.WatermarkStrategy;
import io.ringflow.windowing.EmitStrategy;
import io.ringflow.windowing.HoppingWindows;
import io.ringflow.windowing.TumblingWindows;
import io.ringflow.windowing.Windowed;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The classic first streaming program, in event time: lines of text in, words counted per
 * 10-second tumbling window and per 10-second window sliding every 5 seconds, each count
 * emitted once, when the watermark (the latest time seen minus one second) closes its window.
 *
 * <pre>
 * mvn -q -pl samples -am test-compile exec:java -Dsample.mainClass=io.ringflow.samples.wordcount.WordCount
 *     [-Dexec.args="--socket localhost:9999 | --dir incoming | --rate 5"]
 * </pre>
 *
 * Without arguments it counts an embedded text whose lines are stamped 2.5 seconds apart
 * from time 0, and ends. {@code --socket host:port} reads lines from a TCP server (start
 * {@code nc -lk 9999} first), {@code --dir path} every line of files moved into a
 * directory, {@code --rate n} n lines a second of the embedded text, round and round; those
 * use the time each line was read as its event time, and run until Ctrl-C.
 * {@code --serve-metrics PORT} also serves the meters at {@code http://localhost:PORT/metrics}.
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
    /** Event time between two lines of the embedded text. */
    static final long LINE_EVERY_MILLIS = 2_500;

    /** Sink names. */
    public static final String TUMBLING = "tumbling-10s";
    public static final String SLIDING = "sliding-10s-every-5s";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private WordCount() {
    }

    /** The embedded text, line {@code i} at event time {@code i * 2.5 s}; bounded. */
    static Source<String> embeddedText() {
        return context -> {
            for (int i = 0; i < TEXT.size() && context.isRunning(); i++) {
                context.emit(TEXT.get(i), i * LINE_EVERY_MILLIS);
            }
        };
    }

    /**
     * Lines in (event time: the source's timestamp), counts per word and window out, on two
     * sinks. Words are split on one stage; {@code keyBy} routes each word to the shard that
     * owns its counts.
     */
    public static Topology topology(Source<String> lines, Sink<KeyValue<Windowed<String>, Long>> tumbling,
                                    Sink<KeyValue<Windowed<String>, Long>> sliding) {
        return build(builder -> builder.source("lines", lines, WATERMARKS), tumbling, sliding);
    }

    /** The same counts over {@code linesPerSecond} lines of the embedded text from the rate source. */
    static Topology rateTopology(long linesPerSecond, Sink<KeyValue<Windowed<String>, Long>> tumbling,
                                 Sink<KeyValue<Windowed<String>, Long>> sliding) {
        return build(builder -> builder.source("lines", RateSource.of(linesPerSecond),
                        WatermarkStrategy.<RateSource.Row>forBoundedOutOfOrderness(Duration.ofSeconds(1)))
                .map(row -> TEXT.get((int) (row.value() % TEXT.size()))), tumbling, sliding);
    }

    private static final WatermarkStrategy<String> WATERMARKS =
            WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofSeconds(1));

    private static Topology build(Function<StreamBuilder, EventStream<String>> lines,
                                     Sink<KeyValue<Windowed<String>, Long>> tumbling,
                                     Sink<KeyValue<Windowed<String>, Long>> sliding) {
        StreamBuilder builder = new StreamBuilder("word-count");
        KeyedStream<String, String> words = lines.apply(builder)
                .flatMap(line -> Arrays.asList(line.toLowerCase(Locale.ROOT).split("[^\\p{L}']+")))
                .filter(word -> !word.isEmpty())
                .keyBy(word -> word);
        words.window(TumblingWindows.of(Duration.ofSeconds(10)))
                .emit(EmitStrategy.onWindowClose())
                .count(Named.as("tumbling-counts"))
                .to(tumbling, Named.as(TUMBLING));
        words.window(HoppingWindows.of(Duration.ofSeconds(10)).advanceBy(Duration.ofSeconds(5)))
                .emit(EmitStrategy.onWindowClose())
                .count(Named.as("sliding-counts"))
                .to(sliding, Named.as(SLIDING));
        return builder.build();
    }

    /** {@code [00:00:10, 00:00:20) whale 3}: one line per count. */
    static String format(String kind, KeyValue<Windowed<String>, Long> count) {
        return String.format(Locale.ROOT, "%-8s [%s, %s) %-12s %d", kind,
                TIME.format(Instant.ofEpochMilli(count.key().window().start())),
                TIME.format(Instant.ofEpochMilli(count.key().window().end())), count.key().key(), count.value());
    }

    public static void main(String[] args) throws Exception {
        Source<String> lines = embeddedText();
        Long rate = null;
        boolean bounded = true;
        Integer metricsPort = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--socket" -> {
                    String[] hostPort = value.split(":");
                    lines = SocketSource.lines(hostPort[0], Integer.parseInt(hostPort[1]));
                    bounded = false;
                }
                case "--dir" -> {
                    lines = FileSource.lines(Path.of(value));
                    bounded = false;
                }
                case "--rate" -> {
                    rate = Long.parseLong(value);
                    bounded = false;
                }
                case "--serve-metrics" -> metricsPort = Integer.parseInt(value);
                default -> {
                    System.err.println("unknown option " + args[i] + "; usage: WordCount [--socket host:port | "
                            + "--dir path | --rate lines-per-second] [--serve-metrics PORT]");
                    return;
                }
            }
        }
        Sink<KeyValue<Windowed<String>, Long>> tumbling = (count, t) -> System.out.println(format("tumbling", count));
        Sink<KeyValue<Windowed<String>, Long>> sliding = (count, t) -> System.out.println(format("sliding", count));
        Topology topology = rate == null ? topology(lines, tumbling, sliding) : rateTopology(rate, tumbling, sliding);
        PrometheusEndpoint metrics = metricsPort == null ? null : PrometheusEndpoint.start(metricsPort);
        PipelineConfig config = PipelineConfig.defaults().withParallelism(2);
        if (metrics != null) {
            config = config.withMeterRegistry(metrics.registry());
            System.out.println("Metrics: curl http://localhost:" + metrics.port() + "/metrics");
        }
        System.out.println(topology.describe(config));
        Pipeline pipeline = new Pipeline(topology, config);
        Runtime.getRuntime().addShutdownHook(new Thread(pipeline::close, "word-count-shutdown"));
        pipeline.start();
        if (bounded) {
            if (!pipeline.awaitTermination(Duration.ofSeconds(30))) {
                throw new IllegalStateException("word count did not finish within 30 s");
            }
            System.out.println("Done: every window closed at the end of the input.");
        } else {
            System.out.println("Counting; each window prints when the watermark passes its end. Ctrl-C to stop.");
            pipeline.awaitTermination(Duration.ofDays(365));
        }
        if (metrics != null && bounded) {
            System.out.println("Serving metrics until Ctrl-C.");
            Thread.currentThread().join();
        }
    }
}
