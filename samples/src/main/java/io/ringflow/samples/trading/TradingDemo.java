package io.ringflow.samples.trading;

import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.RingWaitStrategy;
import io.ringflow.Source;
import io.ringflow.Topology;
import io.ringflow.connectors.kafka.KafkaSource;
import io.ringflow.connectors.kafka.testing.KafkaBroker;
import io.ringflow.samples.metrics.PrometheusEndpoint;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The flagship demo: a live market of trades and quotes for many symbols, arriving out of
 * order and sometimes late, turned into per-symbol 1-second VWAPs, 1-minute hopping
 * volumes, price-move alerts and per-trader sessions ({@link TradingTopology}), on two shards
 * with RocksDB state, checkpoints every 5 seconds and meters on a Prometheus endpoint. Every
 * two seconds it prints a summary with the latency percentiles; Ctrl-C stops it cleanly.
 *
 * <pre>
 * mvn -q -pl samples -am test-compile exec:java                                   # embedded generator
 * mvn -q -pl samples -am test-compile exec:java -Dexec.args="--kafka --rate 5000"  # through a local Kafka broker
 * </pre>
 *
 * Options: {@code --kafka} (start a local broker, produce the market into topic
 * {@value #TOPIC} and consume it from there), {@code --symbols N} (50), {@code --rate N}
 * (events per second, 2000), {@code --alert-percent X} (1.0), {@code --metrics-port P}
 * (9464; 0 for any free port), {@code --state-dir DIR} (under the temp directory),
 * {@code --duration SECONDS} (run until Ctrl-C if absent).
 */
public final class TradingDemo {

    /** The Kafka topic the market goes through with {@code --kafka}. */
    public static final String TOPIC = "market";
    private static final Duration REPORT_EVERY = Duration.ofSeconds(2);

    private final Options options;
    private final PrintStream out;
    private final Object lifecycle = new Object();
    private PrometheusEndpoint metrics;
    private KafkaBroker broker;
    private Thread producer;
    /** Cleared to stop the producer: interrupting it would make KafkaProducer.close() log a stack trace. */
    private volatile boolean producing = true;
    private Pipeline pipeline;
    private TradingReport report;
    private boolean shutDown;

    /** The command line, parsed. */
    record Options(boolean kafka, int symbols, int rate, double alertPercent, int metricsPort, Path stateDir,
                   Duration duration) {

        static Options parse(String... args) {
            boolean kafka = false;
            int symbols = 50;
            int rate = 2_000;
            double alertPercent = 1.0;
            int metricsPort = 9464;
            Path stateDir = null;
            Duration duration = null;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--kafka")) {
                    kafka = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("unknown option or missing value: " + arg + "\n" + USAGE);
                }
                String value = args[++i];
                switch (arg) {
                    case "--symbols" -> symbols = Integer.parseInt(value);
                    case "--rate" -> rate = Integer.parseInt(value);
                    case "--alert-percent" -> alertPercent = Double.parseDouble(value);
                    case "--metrics-port" -> metricsPort = Integer.parseInt(value);
                    case "--state-dir" -> stateDir = Path.of(value);
                    case "--duration" -> duration = Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
                    default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
                }
            }
            if (stateDir == null) {
                stateDir = Path.of(System.getProperty("java.io.tmpdir"), kafka ? "ringflow-trading-kafka" : "ringflow-trading");
            }
            return new Options(kafka, symbols, rate, alertPercent, metricsPort, stateDir, duration);
        }
    }

    static final String USAGE = "usage: TradingDemo [--kafka] [--symbols N] [--rate EVENTS_PER_SECOND] "
            + "[--alert-percent X] [--metrics-port P] [--state-dir DIR] [--duration SECONDS]";

    TradingDemo(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return;
        }
        TradingDemo demo = new TradingDemo(options, System.out);
        // Ctrl-C: stop the sources, drain what is in flight, close, print the totals.
        Thread hook = new Thread(demo::shutdown, "trading-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        demo.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running: it prints the last line
        }
    }

    /** Starts everything, prints a summary every two seconds, and shuts down when the duration is up. */
    void run() throws Exception {
        long started = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        MarketGenerator.Settings market = MarketGenerator.Settings.defaults(startMillis)
                .withSymbols(options.symbols()).withRate(options.rate());
        report = new TradingReport(new MarketGenerator(market).symbols());
        synchronized (lifecycle) {
            if (shutDown) {
                return;
            }
            start(market);
        }
        reportUntil(options.duration() == null ? Long.MAX_VALUE : started + options.duration().toNanos());
        shutdown();
    }

    /**
     * Starts the metrics endpoint, the market's source (with {@code --kafka} the broker and its
     * producer too) and the pipeline. Runs under the lifecycle lock, so a shutdown that comes
     * meanwhile waits and then finds everything there is to close.
     */
    private void start(MarketGenerator.Settings market) throws Exception {
        metrics = startMetrics(options.metricsPort());
        Source<MarketEvent> source;
        if (options.kafka()) {
            source = startKafka(market);
            deleteRecursively(options.stateDir()); // the broker is new, so old offsets and state mean nothing
        } else {
            source = MarketSource.live(market);
        }
        Topology topology = TradingTopology.build(source, report.outputs(),
                TradingTopology.Settings.defaults().withAlertPercent(options.alertPercent()));
        PipelineConfig config = PipelineConfig.defaults()
                .withParallelism(2)
                .withWaitStrategy(RingWaitStrategy.SPIN_THEN_PARK) // low latency under load, no CPU when idle
                .withStateDirectory(options.stateDir())
                .withCheckpointing(Duration.ofSeconds(5))
                .withMeterRegistry(metrics.registry());
        out.printf(Locale.ROOT, "Ringflow trading demo: %d symbols, %,d events/s from %s; VWAP 1 s, volume 1 min "
                        + "hopping 10 s, alerts above %.2f %% in 10 s, trader sessions (gap 3 s)%n",
                options.symbols(), options.rate(), options.kafka() ? "Kafka topic '" + TOPIC + "' at "
                        + broker.bootstrapServers() : "the embedded generator", options.alertPercent());
        out.printf("State: RocksDB in %s, checkpoint every 5 s. Metrics: http://localhost:%d/metrics. "
                + "Ctrl-C to stop.%n", options.stateDir(), metrics.port());
        pipeline = new Pipeline(topology, config);
        if (pipeline.lastCheckpoint() > 0) {
            out.printf("Resumed from checkpoint %d in %s: state and the generator's position as they were.%n",
                    pipeline.lastCheckpoint(), options.stateDir());
        }
        pipeline.start();
    }

    /**
     * Prints a summary every two seconds until {@code deadline} (a {@link System#nanoTime()}),
     * until the pipeline stops running, or until {@link #shutdown()} has run.
     */
    private void reportUntil(long deadline) {
        long nextReport = System.nanoTime() + REPORT_EVERY.toNanos();
        while (true) {
            long now = System.nanoTime();
            long wake = Math.min(nextReport, deadline);
            if (wake > now) {
                LockSupport.parkNanos(wake - now);
                continue;
            }
            synchronized (lifecycle) {
                if (shutDown || pipeline.state() != Pipeline.State.RUNNING) {
                    return;
                }
                if (now >= deadline) {
                    return;
                }
                report.print(pipeline, out);
                nextReport += REPORT_EVERY.toNanos();
            }
        }
    }

    /** Stops and closes everything once; safe to call from the shutdown hook and the main thread. */
    void shutdown() {
        synchronized (lifecycle) {
            if (shutDown) {
                return;
            }
            shutDown = true;
            try {
                if (producer != null) {
                    producing = false;
                    producer.join(5_000);
                }
                if (pipeline != null) {
                    pipeline.stop();
                    pipeline.awaitTermination(Duration.ofSeconds(20));
                    report.print(pipeline, out);
                    long[] totals = report.totals();
                    pipeline.close();
                    out.printf(Locale.ROOT, "Stopped cleanly: %,d VWAPs, %,d volumes, %,d alerts, %,d sessions, "
                                    + "%,d late trades, %,d stale quotes, %,d priced trades, %,d sector flows, "
                                    + "%,d orders filled, %,d not; state kept in %s%n",
                            totals[0], totals[1], totals[2], totals[3], totals[4], totals[5], totals[6], totals[7],
                            totals[8], totals[9], options.stateDir());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                out.println("Stopped with a failure: " + e);
            } finally {
                if (metrics != null) {
                    metrics.close();
                }
                if (broker != null) {
                    broker.close();
                }
                out.flush();
            }
        }
    }

    /** The pipeline, once started (for tests). */
    Pipeline pipeline() {
        synchronized (lifecycle) {
            return pipeline;
        }
    }

    private PrometheusEndpoint startMetrics(int port) throws IOException {
        try {
            return PrometheusEndpoint.start(port);
        } catch (BindException e) {
            out.println("Port " + port + " is taken; serving metrics on a free port instead.");
            return PrometheusEndpoint.start(0);
        }
    }

    /**
     * Starts a local broker, creates the topic, and starts a thread producing the market into
     * it in real time (keyed by symbol, so each symbol's events keep their order in one
     * partition); returns the source that consumes it.
     */
    private Source<MarketEvent> startKafka(MarketGenerator.Settings market) throws Exception {
        out.println("Starting a local Kafka broker...");
        broker = KafkaBroker.start();
        createTopic(broker.bootstrapServers(), TOPIC, 2);
        KafkaProducer<String, byte[]> kafka = new KafkaProducer<>(Map.of("bootstrap.servers",
                broker.bootstrapServers(), "linger.ms", 0), new StringSerializer(), new ByteArraySerializer());
        producer = new Thread(() -> produce(kafka, market, () -> producing), "market-producer");
        producer.setDaemon(true);
        producer.start();
        return kafkaSource(broker.bootstrapServers(), "trading-demo");
    }

    /** Creates {@code topic} with Kafka's Admin client, as one would on a real cluster. */
    static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** The market, read back from Kafka: one line of text per event (see {@link MarketEventCodec}). */
    static KafkaSource<MarketEvent> kafkaSource(String bootstrap, String group) {
        return KafkaSource.<MarketEvent>builder()
                .bootstrapServers(bootstrap)
                .topics(TOPIC)
                .groupId(group)
                .deserializer(record -> MarketEventCodec.decode(record.value()))
                .build();
    }

    /** Writes one event to the topic, keyed by symbol, with its event time as the record timestamp. */
    static ProducerRecord<String, byte[]> record(MarketEvent event) {
        return new ProducerRecord<>(TOPIC, null, event.eventTime(), event.symbol(), MarketEventCodec.encode(event));
    }

    private static void produce(KafkaProducer<String, byte[]> kafka, MarketGenerator.Settings market,
                                BooleanSupplier running) {
        MarketGenerator generator = new MarketGenerator(market);
        long wallAnchor = System.nanoTime();
        try (kafka) { // close() sends what is buffered, then returns
            while (running.getAsBoolean()) {
                MarketGenerator.Arrival next = generator.next();
                long due = wallAnchor + TimeUnit.MILLISECONDS.toNanos(next.arrivalMillis() - market.startMillis());
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                kafka.send(record(next.event()));
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
