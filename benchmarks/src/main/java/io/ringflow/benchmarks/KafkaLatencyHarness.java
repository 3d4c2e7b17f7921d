package io.ringflow.benchmarks;

import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.RingWaitStrategy;
import io.ringflow.StreamBuilder;
import io.ringflow.benchmarks.report.LatencyReport;
import io.ringflow.benchmarks.report.LatencyResult;
import io.ringflow.benchmarks.report.LatencyTable;
import io.ringflow.connectors.kafka.KafkaSink;
import io.ringflow.connectors.kafka.KafkaSource;
import io.ringflow.connectors.kafka.testing.KafkaBroker;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Kafka-to-Kafka latency of single records through a stateless map, on a real local broker
 * this harness starts (KRaft, one node, 127.0.0.1), for Ringflow and Kafka Streams running the
 * same topology on the same broker, at the same rate, one after the other in one run, plus the
 * broker alone (producer → broker → consumer, no processor) as the floor.
 *
 * <p>A producer offers records at a constant rate, each carrying its <em>intended</em> send
 * time; the processor reads them from its input topic (1 partition), maps them and writes them
 * to its output topic; a consumer of the output topic records now minus intended time in an
 * HdrHistogram. A stall anywhere therefore shows as latency, not as a lower offered rate (no
 * coordinated omission). Every client uses {@code linger.ms=0} and {@code acks=all}; Kafka
 * Streams gets the same (its default linger is 100 ms) and at-least-once, like Ringflow.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.ringflow.benchmarks.KafkaLatencyHarness \
 *      [rate/s=10000] [seconds=30] [warm-up seconds=10] [Ringflow wait strategy=SPIN_THEN_PARK]
 * </pre>
 * Prints a table and writes {@code benchmarks/results/latency-kafka.json}, {@code .png} and one
 * {@code latency-kafka.kafka-to-kafka-map.<system>.hlog} per system ({@link LatencyReport}).
 *
 * <p>{@code -Dexactly.once.ms=N} measures exactly-once output instead: Ringflow's transactional
 * sink with a checkpoint every N ms against Kafka Streams' {@code exactly_once_v2} with a
 * commit every N ms, both read by a {@code read_committed} consumer; it writes
 * {@code latency-kafka-exactly-once.json}, {@code .png} and {@code .hlog}s.
 *
 * <p>{@code -Drounds=N} repeats the comparison N times on the one broker, Ringflow and Kafka
 * Streams swapping places each round, so that neither always runs second.
 */
public final class KafkaLatencyHarness {

    private KafkaLatencyHarness() {
    }

    /** A processor between an input and an output topic, started and stopped around one measurement. */
    private interface Processor extends AutoCloseable {
        @Override
        void close() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        HarnessArgs parsed = HarnessArgs.parse(args, 10_000, 30, 10);
        RingWaitStrategy wait = args.length > 3 ? parsed.waitStrategy() : RingWaitStrategy.SPIN_THEN_PARK;
        long exactlyOnceMs = Long.getLong("exactly.once.ms", 0);
        List<LatencyResult> results = new ArrayList<>();
        // -Drounds=N: N rounds on one broker, Ringflow and Kafka Streams swapping places each round,
        // so neither always runs on a broker warmed (or worn) by the other.
        int rounds = Integer.getInteger("rounds", 1);
        try (KafkaBroker broker = KafkaBroker.start()) {
            String bootstrap = broker.bootstrapServers();
            for (int round = 1; round <= rounds; round++) {
                String suffix = rounds == 1 ? "" : " #" + round;
                results.add(measure(broker, "broker only" + suffix, parsed, (in, out) -> () -> { }, false, false));
                boolean exactlyOnce = exactlyOnceMs > 0;
                List<String> systems = new ArrayList<>(List.of(
                        exactlyOnce ? "Ringflow exactly-once" : "Ringflow " + wait,
                        exactlyOnce ? "Kafka Streams exactly_once_v2" : "Kafka Streams"));
                if (round % 2 == 0) {
                    Collections.reverse(systems);
                }
                for (String system : systems) {
                    ProcessorFactory factory = system.startsWith("Ringflow")
                            ? (in, out) -> ringflow(bootstrap, in, out, wait, exactlyOnceMs)
                            : (in, out) -> kafkaStreams(bootstrap, in, out, exactlyOnceMs);
                    results.add(measure(broker, system + suffix, parsed, factory, true, exactlyOnce));
                }
            }
        }
        LatencyTable.print(System.out, results);
        Path dir = Path.of("benchmarks", "results");
        String machine = Runtime.getRuntime().availableProcessors() + " vCPU, Java " + System.getProperty("java.version")
                + ", Kafka 4.1 KRaft broker in the same JVM";
        String file = exactlyOnceMs > 0 ? "latency-kafka-exactly-once" : "latency-kafka";
        String title = exactlyOnceMs > 0
                ? "Kafka to Kafka exactly-once (commit every " + exactlyOnceMs + " ms), " + parsed.rate() + " records/s"
                : "Kafka to Kafka, stateless map, " + parsed.rate() + " records/s (" + machine + ")";
        for (Path written : LatencyReport.write(dir, file, title, machine, results)) {
            System.out.println("wrote " + written);
        }
    }

    @FunctionalInterface
    private interface ProcessorFactory {
        Processor start(String in, String out) throws Exception;
    }

    /**
     * Creates fresh topics, starts the processor between them, offers records for warm-up plus
     * measurement and records the latency of each at the output. Without a processor
     * ({@code mapped} false) the output is the input topic itself: one broker hop.
     */
    private static LatencyResult measure(KafkaBroker broker, String system, HarnessArgs args, ProcessorFactory factory,
                                         boolean mapped, boolean readCommitted) throws Exception {
        String prefix = system.toLowerCase().replaceAll("[^a-z0-9]+", "-");
        String in = prefix + "-in";
        String out = mapped ? prefix + "-out" : in;
        broker.createTopic(in, 1);
        if (mapped) {
            broker.createTopic(out, 1);
        }
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long[] received = new long[1];
        try (Processor processor = factory.start(in, out)) {
            long start = System.nanoTime() + TimeUnit.SECONDS.toNanos(3); // the processor joins its group first
            long measureFrom = start + TimeUnit.SECONDS.toNanos(args.warmup());
            long end = measureFrom + TimeUnit.SECONDS.toNanos(args.seconds());
            long interval = TimeUnit.SECONDS.toNanos(1) / args.rate();
            // Stamped with the measured window in wall-clock time, as a Recorder would, for the .hlog.
            long wallClockOffsetMillis = System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
            histogram.setStartTimeStamp(wallClockOffsetMillis + TimeUnit.NANOSECONDS.toMillis(measureFrom));
            histogram.setEndTimeStamp(wallClockOffsetMillis + TimeUnit.NANOSECONDS.toMillis(end));
            AtomicBoolean measuring = new AtomicBoolean(true);
            Thread consumer = new Thread(() -> consume(broker.bootstrapServers(), out, mapped, readCommitted, histogram,
                    measureFrom, end - interval, measuring, received), "latency-consumer");
            consumer.start();
            offer(broker.bootstrapServers(), in, interval, start, end);
            consumer.join(TimeUnit.SECONDS.toMillis(30));
            measuring.set(false);
            consumer.join();
        }
        HarnessArgs.printPercentiles(histogram);
        return new LatencyResult(system, "kafka-to-kafka map", args.rate(), received[0] / (double) args.seconds(),
                received[0], histogram);
    }

    /** {@code exactlyOnceMs} > 0: the transactional sink, committing with a checkpoint that often. */
    private static Processor ringflow(String bootstrap, String in, String out, RingWaitStrategy wait,
                                      long exactlyOnceMs) throws Exception {
        KafkaSink.Builder<byte[]> sink = KafkaSink.<byte[]>builder()
                .bootstrapServers(bootstrap)
                .topic(out)
                .valueSerializer(new ByteArraySerializer());
        StreamBuilder builder = new StreamBuilder("kafka-latency");
        builder.source("in", KafkaSource.<byte[]>builder()
                        .bootstrapServers(bootstrap)
                        .topics(in)
                        .groupId("ringflow-latency-" + in)
                        .valueDeserializer(new ByteArrayDeserializer())
                        .build())
                .map(KafkaLatencyHarness::stamp)
                .to(exactlyOnceMs > 0 ? sink.buildExactlyOnce("kafka-latency") : sink.build());
        PipelineConfig config = PipelineConfig.defaults().withWaitStrategy(wait);
        if (exactlyOnceMs > 0) {
            config = config.withStateDirectory(Files.createTempDirectory("ringflow-kafka-latency"))
                    .withCheckpointing(Duration.ofMillis(exactlyOnceMs));
        }
        Pipeline pipeline = new Pipeline(builder.build(), config).start();
        return () -> {
            pipeline.stop();
            pipeline.awaitTermination(Duration.ofSeconds(30));
            pipeline.close();
        };
    }

    private static Processor kafkaStreams(String bootstrap, String in, String out, long exactlyOnceMs)
            throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(in, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .mapValues(KafkaLatencyHarness::stamp)
                .to(out, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "kafka-streams-latency-" + in);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("kafka-streams-latency").toString());
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        if (exactlyOnceMs > 0) {
            props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, exactlyOnceMs);
        }
        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        streams.start();
        return () -> streams.close(Duration.ofSeconds(30));
    }

    /** The stateless map under test: copies the record and marks it as processed. */
    private static byte[] stamp(byte[] value) {
        byte[] copy = value.clone();
        copy[copy.length - 1] = 1;
        return copy;
    }

    /** Sends on a fixed schedule; a record sent late keeps its intended time. */
    private static void offer(String bootstrap, String topic, long interval, long start, long end) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                "linger.ms", 0, "acks", "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            long next = start;
            while (next < end) {
                long now = System.nanoTime();
                while (next <= now && next < end) {
                    byte[] value = ByteBuffer.allocate(Long.BYTES + 1).putLong(next).put((byte) 0).array();
                    producer.send(new ProducerRecord<>(topic, value));
                    next += interval;
                }
                LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
            }
        }
    }

    private static void consume(String bootstrap, String topic, boolean mapped, boolean readCommitted,
                                Histogram histogram, long measureFrom, long last, AtomicBoolean measuring,
                                long[] received) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "isolation.level", readCommitted ? "read_committed" : "read_uncommitted"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            while (measuring.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    ByteBuffer value = ByteBuffer.wrap(record.value());
                    long intended = value.getLong();
                    if (mapped && value.get() != 1) {
                        throw new IllegalStateException("a record reached " + topic + " without passing the map");
                    }
                    if (intended >= measureFrom) {
                        histogram.recordValue(Math.min(now - intended, histogram.getHighestTrackableValue()));
                        received[0]++;
                    }
                    if (intended >= last) {
                        return;
                    }
                }
            }
        }
    }
}
