package io.ringflow.connectors.kafka;

import io.ringflow.KeyValue;
import io.ringflow.Sink;
import io.ringflow.error.UndeliveredRecordsException;
import io.ringflow.error.UndeliveredRecordsException.Undelivered;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes records to one Apache Kafka topic.
 *
 * <pre>{@code
 * KafkaSink<KeyValue<String, Long>> counts = KafkaSink.<KeyValue<String, Long>>builder()
 *         .bootstrapServers("localhost:9092")
 *         .topic("counts")
 *         .serializer(KafkaSink.keyValue(new StringSerializer(), new LongSerializer()))
 *         .build();
 * }</pre>
 *
 * <ul>
 *   <li><b>Partitioning</b> by the serialized key (Kafka's default partitioner: records with
 *       one key go to one partition, in order), or by a {@link Builder#partitioner}.</li>
 *   <li><b>Latency</b>: {@code linger.ms=0} by default, so a record goes to the network as
 *       soon as it is written; the end of each ring-buffer batch surfaces failed sends without
 *       waiting for acknowledgements (that would stall the shard one broker round trip per
 *       batch). {@link #sync()} (before source offsets are committed) and {@link #close()}
 *       wait for every acknowledgement.</li>
 *   <li><b>Durability</b>: {@code acks=all} with idempotence by default (Kafka's own default):
 *       on one broker it costs nothing; on a replicated topic it waits for the in-sync
 *       replicas. {@link Builder#acks acks("1")} trades that for less latency.</li>
 *   <li><b>Errors</b>: a record that fails to serialize, or whose send fails after Kafka's
 *       retries, goes to the pipeline's error handler as itself, never silently dropped.
 *       A missing topic fails {@code Pipeline.start()} with a message saying how to create it.</li>
 * </ul>
 *
 * One {@code KafkaProducer}, shared by every shard (it is thread-safe). The record timestamp
 * is the record's event time.
 *
 * <p>This sink is at-least-once: after a crash, the results of records since the last
 * checkpoint (or, without checkpoints, since the last committed source offsets) are written
 * again. {@link Builder#buildExactlyOnce} gives the transactional variant, whose output a
 * {@code read_committed} consumer sees exactly once, one checkpoint interval later.
 */
public class KafkaSink<T> implements Sink<T> {

    final Map<String, Object> properties;
    final String topic;
    private final KafkaRecordSerializer<T> serializer;
    private final ConcurrentLinkedQueue<Undelivered> failures = new ConcurrentLinkedQueue<>();
    volatile KafkaProducer<byte[], byte[]> producer;

    KafkaSink(Builder<T> builder) {
        this.properties = Map.copyOf(builder.properties);
        this.topic = builder.topic;
        this.serializer = builder.serializer;
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /** A serializer for key-value records (the output of a keyed aggregation, say). */
    public static <K, V> KafkaRecordSerializer<KeyValue<K, V>> keyValue(Serializer<? super K> keys,
                                                                       Serializer<? super V> values) {
        Objects.requireNonNull(keys, "key serializer");
        Objects.requireNonNull(values, "value serializer");
        return (topic, kv) -> new KafkaRecordSerializer.KeyValueBytes(keys.serialize(topic, kv.key()),
                values.serialize(topic, kv.value()));
    }

    /** Checks the topic exists (and is visible to this client), then connects. */
    @Override
    public void open() {
        KafkaTopics.describe(properties, List.of(topic), "sink to topic '" + topic + "'");
        producer = newProducer();
    }

    final KafkaProducer<byte[], byte[]> newProducer() {
        Properties props = new Properties();
        props.putAll(properties);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void write(T value, long timestamp) throws Exception {
        KafkaProducer<byte[], byte[]> kafka = producer;
        if (kafka == null) {
            throw new IllegalStateException("KafkaSink for '" + topic + "' is not open: it is opened by Pipeline.start()");
        }
        KafkaRecordSerializer.KeyValueBytes bytes = serializer.serialize(topic, value);
        kafka.send(new ProducerRecord<>(topic, null, timestamp, bytes.key(), bytes.value()), (metadata, e) -> {
            if (e != null) {
                failures.add(new Undelivered(value, timestamp, explain(e)));
            }
        });
    }

    /** Surfaces sends that failed since the last call; does not wait for acknowledgements. */
    @Override
    public void flush() throws UndeliveredRecordsException {
        throwFailures();
    }

    /** Waits until every record written so far is acknowledged, then surfaces any that failed. */
    @Override
    public void sync() throws UndeliveredRecordsException {
        KafkaProducer<byte[], byte[]> kafka = producer;
        if (kafka != null) {
            kafka.flush();
        }
        throwFailures();
    }

    /**
     * Waits for every acknowledgement and closes the producer. Records that fail this late
     * fail the pipeline (with each one named) rather than go unnoticed.
     */
    @Override
    public void close() throws UndeliveredRecordsException {
        KafkaProducer<byte[], byte[]> kafka = producer;
        if (kafka == null) {
            return;
        }
        try {
            kafka.flush();
        } finally {
            kafka.close(Duration.ofSeconds(30));
            producer = null;
        }
        throwFailures();
    }

    final void throwFailures() throws UndeliveredRecordsException {
        if (failures.isEmpty()) {
            return;
        }
        List<Undelivered> failed = new ArrayList<>();
        for (Undelivered u; (u = failures.poll()) != null; ) {
            failed.add(u);
        }
        if (!failed.isEmpty()) {
            throw new UndeliveredRecordsException("kafka:" + topic, failed);
        }
    }

    private Exception explain(Exception e) {
        if (e instanceof AuthorizationException) {
            return new IllegalStateException("not authorized to write to Kafka topic '" + topic + "': grant this "
                    + "client's principal WRITE on it (kafka-acls.sh --add --operation Write --topic " + topic + ")", e);
        }
        return e;
    }

    @Override
    public String toString() {
        return "KafkaSink{topic=" + topic + '}';
    }

    /** Builds a {@link KafkaSink}. */
    public static final class Builder<T> {

        private final Map<String, Object> properties = new HashMap<>();
        private String topic;
        private KafkaRecordSerializer<T> serializer;

        private Builder() {
            properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
        }

        /** {@code host:port[,host:port...]} of the cluster. Required. */
        public Builder<T> bootstrapServers(String servers) {
            properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(servers, "bootstrap servers"));
            return this;
        }

        /** The topic to write; it must exist. Required. */
        public Builder<T> topic(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("topic name must not be blank");
            }
            this.topic = name;
            return this;
        }

        /** Turns each value into key and value bytes. */
        public Builder<T> serializer(KafkaRecordSerializer<T> recordSerializer) {
            this.serializer = Objects.requireNonNull(recordSerializer, "serializer");
            return this;
        }

        /** Writes each value with no key (records spread over partitions), by a Kafka {@link Serializer}. */
        public Builder<T> valueSerializer(Serializer<? super T> values) {
            Objects.requireNonNull(values, "value serializer");
            this.serializer = (t, value) -> new KafkaRecordSerializer.KeyValueBytes(null, values.serialize(t, value));
            return this;
        }

        /** Chooses partitions with this class instead of hashing the key. */
        public Builder<T> partitioner(Class<? extends Partitioner> partitioner) {
            properties.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, Objects.requireNonNull(partitioner, "partitioner"));
            return this;
        }

        /** {@code "all"} (default: no loss while one in-sync replica survives), {@code "1"} or {@code "0"}. */
        public Builder<T> acks(String acks) {
            if (!List.of("all", "-1", "1", "0").contains(acks)) {
                throw new IllegalArgumentException("acks must be \"all\", \"1\" or \"0\", got " + acks);
            }
            properties.put(ProducerConfig.ACKS_CONFIG, acks);
            if (!acks.equals("all") && !acks.equals("-1")) {
                properties.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false); // idempotence needs acks=all
            }
            return this;
        }

        /**
         * How long the producer waits to fill a batch. Default 0: lowest latency. A few
         * milliseconds raise throughput on busy topics at that much added latency.
         */
        public Builder<T> linger(Duration linger) {
            if (linger == null || linger.isNegative()) {
                throw new IllegalArgumentException("linger must be >= 0, got " + linger);
            }
            properties.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger.toMillis());
            return this;
        }

        /** Any Kafka producer setting (security, compression, ...), passed through unchanged. */
        public Builder<T> property(String name, Object value) {
            properties.put(Objects.requireNonNull(name, "property name"), Objects.requireNonNull(value, name));
            return this;
        }

        public KafkaSink<T> build() {
            check();
            return new KafkaSink<>(this);
        }

        private void check() {
            if (!properties.containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
                throw new IllegalStateException("KafkaSink needs bootstrapServers(\"host:port\")");
            }
            if (topic == null) {
                throw new IllegalStateException("KafkaSink needs topic(\"name\")");
            }
            if (serializer == null) {
                throw new IllegalStateException("KafkaSink needs a serializer: valueSerializer(new StringSerializer()), "
                        + "or serializer(KafkaSink.keyValue(keySerializer, valueSerializer)) for keyed records");
            }
        }

        /**
         * Builds the exactly-once variant: records are written in Kafka transactions that
         * commit with each completed checkpoint (the pipeline must have checkpointing on), so
         * a {@code read_committed} consumer sees every result exactly once across crashes.
         *
         * <p>Cost: results become visible when the checkpoint after them completes (half an
         * interval later on average), each checkpoint pauses the shards for one more
         * transaction commit (a few milliseconds), and {@code read_uncommitted} consumers see
         * aborted records too. Keep Kafka's {@code transaction.timeout.ms} (default 60 s) well
         * above the checkpoint interval.
         *
         * @param transactionalId names this writer to the brokers; stable across restarts of
         *        one instance and unique among instances (a second writer with the same id
         *        fences the first off)
         */
        public ExactlyOnceKafkaSink<T> buildExactlyOnce(String transactionalId) {
            if (transactionalId == null || transactionalId.isBlank()) {
                throw new IllegalArgumentException("an exactly-once KafkaSink needs a transactional id, stable across"
                        + " restarts and unique per application instance, e.g. \"vwap-instance-1\"");
            }
            Object acks = properties.get(ProducerConfig.ACKS_CONFIG);
            if (!"all".equals(acks) && !"-1".equals(acks)) {
                throw new IllegalStateException("an exactly-once KafkaSink needs acks=all (Kafka transactions require"
                        + " idempotence); drop acks(\"" + acks + "\")");
            }
            properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            check();
            return new ExactlyOnceKafkaSink<>(this, transactionalId);
        }
    }
}
