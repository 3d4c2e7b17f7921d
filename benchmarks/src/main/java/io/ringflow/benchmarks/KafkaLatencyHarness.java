package io.ringflow.benchmarks;

import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.RingWaitStrategy;
import io.ringflow.StreamBuilder;
import io.ringflow.connectors.kafka.KafkaSink;
import io.ringflow.connectors.kafka.KafkaSource;
import io.ringflow.connectors.kafka.testing.KafkaBroker;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka-to-Kafka latency of single records through a stateless map, on a real local broker
 * this harness starts (KRaft, one node, 127.0.0.1). A producer offers records at a constant
 * rate, each carrying its <em>intended</em> send time; Ringflow reads them from the input
 * topic, maps them and writes them to the output topic; a consumer of the output topic records
 * now minus intended time in an HdrHistogram. A stall anywhere (broker, pipeline, producer)
 * therefore shows as latency, not as a lower offered rate (no coordinated omission).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.ringflow.benchmarks.KafkaLatencyHarness \
 *      [rate/s=10000] [seconds=30] [warm-up seconds=10] [BLOCKING|SLEEPING|YIELDING|BUSY_SPIN]
 * </pre>
 *
 * Everything (broker, generator, pipeline, measuring consumer) shares the machine, as a
 * user's laptop demo would; all clients use linger.ms=0 and acks=all.
 */
public final class KafkaLatencyHarness {

    private KafkaLatencyHarness() {
    }

    public static void main(String[] args) throws Exception {
        HarnessArgs parsed = HarnessArgs.parse(args, 10_000, 30, 10);
        long rate = parsed.rate();
        int seconds = parsed.seconds();
        int warmup = parsed.warmup();
        RingWaitStrategy wait = parsed.waitStrategy();
        // "broker-only": measure producer -> broker -> consumer on the input topic, no Ringflow:
        // the floor one Kafka hop sets on this machine (Ringflow's path has two).
        boolean brokerOnly = args.length > 4 && args[4].equals("broker-only");
        String measured = brokerOnly ? "latency-in" : "latency-out";

        try (KafkaBroker broker = KafkaBroker.start()) {
            String bootstrap = broker.bootstrapServers();
            broker.createTopic("latency-in", 1);
            broker.createTopic("latency-out", 1);

            StreamBuilder builder = new StreamBuilder("kafka-latency");
            builder.source("in", KafkaSource.<byte[]>builder()
                            .bootstrapServers(bootstrap)
                            .topics("latency-in")
                            .groupId("latency")
                            .valueDeserializer(new ByteArrayDeserializer())
                            .build())
                    .map(KafkaLatencyHarness::stamp)
                    .to(KafkaSink.<byte[]>builder()
                            .bootstrapServers(bootstrap)
                            .topic("latency-out")
                            .valueSerializer(new ByteArraySerializer())
                            .build());

            Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            AtomicBoolean measuring = new AtomicBoolean(true);
            long[] received = new long[1];
            try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withWaitStrategy(wait))) {
                pipeline.start();
                long start = System.nanoTime() + TimeUnit.SECONDS.toNanos(2); // the group forms first
                long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
                long end = start + TimeUnit.SECONDS.toNanos(warmup + seconds);
                Thread consumer = new Thread(() -> measure(bootstrap, measured, !brokerOnly, histogram, measureFrom, end,
                        TimeUnit.SECONDS.toNanos(1) / rate, measuring, received),
                        "latency-consumer");
                consumer.start();
                long offered = offer(bootstrap, rate, start, end);
                consumer.join(TimeUnit.SECONDS.toMillis(30));
                measuring.set(false);
                consumer.join();
                pipeline.stop();
                pipeline.awaitTermination(Duration.ofSeconds(30));
                System.out.printf(brokerOnly ? "Kafka producer -> broker -> consumer only (no Ringflow), local KRaft broker%n"
                        : "Kafka -> Ringflow map -> Kafka, 1 partition, local KRaft broker, %s%n", wait);
                System.out.printf("offered %,d records/s for %d s after %d s warm-up (%,d sent in all); measured %,d%n",
                        rate, seconds, warmup, offered, received[0]);
                HarnessArgs.printPercentiles(histogram);
            }
        }
    }

    /** The stateless map under test: copies the record and marks it as processed. */
    private static byte[] stamp(byte[] value) {
        byte[] copy = value.clone();
        copy[copy.length - 1] = 1;
        return copy;
    }

    /** Sends on a fixed schedule; a record sent late keeps its intended time. */
    private static long offer(String bootstrap, long rate, long start, long end) {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long sent = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                "linger.ms", 0, "acks", "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            long next = start;
            while (next < end) {
                long now = System.nanoTime();
                while (next <= now && next < end) {
                    byte[] value = ByteBuffer.allocate(Long.BYTES + 1).putLong(next).put((byte) 0).array();
                    producer.send(new ProducerRecord<>("latency-in", value));
                    next += interval;
                    sent++;
                }
                LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
            }
        }
        return sent;
    }

    private static void measure(String bootstrap, String topic, boolean mapped, Histogram histogram, long measureFrom, long end, long interval,
                                AtomicBoolean measuring, long[] received) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition out = new TopicPartition(topic, 0);
            consumer.assign(List.of(out));
            consumer.seekToBeginning(List.of(out));
            while (measuring.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    ByteBuffer value = ByteBuffer.wrap(record.value());
                    long intended = value.getLong();
                    if (mapped && value.get() != 1) {
                        throw new IllegalStateException("a record reached the output without passing the map");
                    }
                    if (intended >= measureFrom) {
                        histogram.recordValue(now - intended);
                        received[0]++;
                    }
                    if (intended + interval >= end) {
                        return; // the last record of the schedule
                    }
                }
            }
        }
    }
}
