package io.ringflow.connectors.kafka;

import io.ringflow.KeyValue;
import io.ringflow.Source;
import io.ringflow.SourceContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads records from Apache Kafka, either as a member of a consumer group ({@link
 * Builder#topics}: instances of the application with the same group id share the
 * partitions) or from fixed partitions ({@link Builder#partitions}).
 *
 * <pre>{@code
 * KafkaSource<String> trades = KafkaSource.<String>builder()
 *         .bootstrapServers("localhost:9092")
 *         .topics("trades")
 *         .groupId("vwap")
 *         .valueDeserializer(new StringDeserializer())
 *         .startingOffsets(StartingOffsets.earliest())
 *         .build();
 * builder.source("trades", trades, WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(200)));
 * }</pre>
 *
 * <ul>
 *   <li><b>Event time</b> is the Kafka record's timestamp, unless the source's
 *       {@code WatermarkStrategy} has an extractor.</li>
 *   <li><b>Watermarks</b> are kept per partition; the pipeline sees their minimum, so a
 *       partition that lags does not make its records late. A partition with no records holds
 *       the watermark back until the strategy's idleness timeout passes.</li>
 *   <li><b>Order</b>: each partition is read by one reader, so its records keep their order
 *       through the pipeline (per key, through key changes).</li>
 *   <li><b>Backpressure</b>: when the pipeline is behind, the reader pauses its partitions
 *       and keeps polling (so it stays in its group) instead of buffering: at most one poll's
 *       records ({@code max.poll.records}) wait in memory.</li>
 *   <li><b>Offsets</b> (with a group id) are committed every {@link Builder#commitInterval},
 *       when partitions are revoked and on stop, and only for records whose results every
 *       sink has already delivered: at-least-once. After a crash, up to one commit interval
 *       of input is read again.</li>
 *   <li><b>Bad records</b>: a record the deserializer throws on goes, raw, to the pipeline's
 *       error handler and reading continues (or the pipeline fails, if that is the handler).</li>
 * </ul>
 *
 * Topics are checked at start: a missing topic or partition fails the pipeline with a message
 * naming it. Each reader owns one {@code KafkaConsumer} and one thread.
 */
public final class KafkaSource<T> implements Source<T> {

    private final Map<String, Object> properties;
    private final List<String> topics;
    private final List<TopicPartition> partitions;
    private final String groupId;
    private final KafkaRecordDeserializer<T> deserializer;
    private final StartingOffsets startingOffsets;
    private final Duration commitInterval;
    private final int readers;

    private KafkaSource(Builder<T> builder) {
        this.properties = Map.copyOf(builder.properties);
        this.topics = List.copyOf(builder.topics);
        this.partitions = List.copyOf(builder.partitions);
        this.groupId = builder.groupId;
        this.deserializer = builder.deserializer;
        this.startingOffsets = builder.startingOffsets;
        this.commitInterval = builder.commitInterval;
        this.readers = builder.readers;
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /** A deserializer emitting each record's key and value, decoded by Kafka deserializers. */
    public static <K, V> KafkaRecordDeserializer<KeyValue<K, V>> keyValue(Deserializer<K> keys, Deserializer<V> values) {
        Objects.requireNonNull(keys, "key deserializer");
        Objects.requireNonNull(values, "value deserializer");
        return record -> KeyValue.of(keys.deserialize(record.topic(), record.headers(), record.key()),
                values.deserialize(record.topic(), record.headers(), record.value()));
    }

    @Override
    public void run(SourceContext<T> context) throws Exception {
        new KafkaSourceReader<>(this, context).run();
    }

    @Override
    public int readers() {
        return readers;
    }

    Map<String, Object> properties() {
        return properties;
    }

    List<String> topics() {
        return topics;
    }

    /** The fixed partitions of reader {@code reader}: every {@code readers}-th from its index. */
    List<TopicPartition> partitionsOf(int reader) {
        List<TopicPartition> mine = new ArrayList<>();
        for (int i = reader; i < partitions.size(); i += readers) {
            mine.add(partitions.get(i));
        }
        return mine;
    }

    boolean subscribes() {
        return !topics.isEmpty();
    }

    String groupId() {
        return groupId;
    }

    KafkaRecordDeserializer<T> deserializer() {
        return deserializer;
    }

    StartingOffsets startingOffsets() {
        return startingOffsets;
    }

    Duration commitInterval() {
        return commitInterval;
    }

    @Override
    public String toString() {
        return "KafkaSource{" + (subscribes() ? "topics=" + topics : "partitions=" + partitions)
                + (groupId == null ? "" : ", group=" + groupId) + ", start=" + startingOffsets + '}';
    }

    /** Builds a {@link KafkaSource}; every setting is checked when set or at {@link #build}. */
    public static final class Builder<T> {

        private final Map<String, Object> properties = new HashMap<>();
        private final List<String> topics = new ArrayList<>();
        private final List<TopicPartition> partitions = new ArrayList<>();
        private String groupId;
        private KafkaRecordDeserializer<T> deserializer;
        private StartingOffsets startingOffsets = StartingOffsets.earliest();
        private Duration commitInterval = Duration.ofSeconds(1);
        private int readers = 1;

        private Builder() {
        }

        /** {@code host:port[,host:port...]} of the cluster. Required. */
        public Builder<T> bootstrapServers(String servers) {
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, requireText(servers, "bootstrap servers"));
            return this;
        }

        /** Reads these topics as a member of the {@link #groupId} consumer group. */
        public Builder<T> topics(String... names) {
            for (String name : names) {
                topics.add(requireText(name, "topic name"));
            }
            return this;
        }

        /** Reads exactly these partitions, with no group membership (spread over the readers). */
        public Builder<T> partitions(TopicPartition... assigned) {
            partitions.addAll(List.of(assigned));
            return this;
        }

        /**
         * The consumer group: required with {@link #topics}; optional with {@link #partitions}
         * (then only used to commit offsets). Without it nothing is committed.
         */
        public Builder<T> groupId(String id) {
            this.groupId = requireText(id, "group id");
            return this;
        }

        /** Turns each Kafka record into the emitted value. */
        public Builder<T> deserializer(KafkaRecordDeserializer<T> recordDeserializer) {
            this.deserializer = Objects.requireNonNull(recordDeserializer, "deserializer");
            return this;
        }

        /** Emits each record's value, decoded by a Kafka {@link Deserializer}; keys are ignored. */
        public Builder<T> valueDeserializer(Deserializer<T> values) {
            Objects.requireNonNull(values, "value deserializer");
            this.deserializer = record -> values.deserialize(record.topic(), record.headers(), record.value());
            return this;
        }

        /** Where to start in partitions without a committed offset. Default: earliest. */
        public Builder<T> startingOffsets(StartingOffsets start) {
            this.startingOffsets = Objects.requireNonNull(start, "starting offsets");
            return this;
        }

        /**
         * How often offsets of written results are committed. Shorter means less input read
         * again after a crash; each commit costs one position mark through the pipeline (one
         * sink sync per shard). Default: 1 second.
         */
        public Builder<T> commitInterval(Duration interval) {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("commit interval must be > 0, got " + interval);
            }
            this.commitInterval = interval;
            return this;
        }

        /**
         * How many consumers (threads) this application instance runs; each reads its share of
         * the partitions. More readers than partitions leaves some idle. Default: 1.
         */
        public Builder<T> readers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("a Kafka source needs at least one reader, got " + count);
            }
            this.readers = count;
            return this;
        }

        /** Any Kafka consumer setting (security, fetch sizes, ...), passed through unchanged. */
        public Builder<T> property(String name, Object value) {
            properties.put(requireText(name, "property name"), Objects.requireNonNull(value, name));
            return this;
        }

        public KafkaSource<T> build() {
            if (!properties.containsKey(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
                throw new IllegalStateException("KafkaSource needs bootstrapServers(\"host:port\")");
            }
            if (topics.isEmpty() == partitions.isEmpty()) {
                throw new IllegalStateException("KafkaSource reads either topics(...) as a consumer group or fixed "
                        + "partitions(...), exactly one of them; got topics=" + topics + ", partitions=" + partitions);
            }
            if (!topics.isEmpty() && groupId == null) {
                throw new IllegalStateException("KafkaSource subscribing to " + topics + " needs groupId(\"...\"): "
                        + "instances with the same group id share the partitions");
            }
            if (deserializer == null) {
                throw new IllegalStateException("KafkaSource needs a deserializer: valueDeserializer(new "
                        + "StringDeserializer()), or deserializer(record -> ...) for keys, headers or offsets");
            }
            for (String reserved : List.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.GROUP_ID_CONFIG,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG)) {
                if (properties.containsKey(reserved)) {
                    throw new IllegalStateException("KafkaSource sets '" + reserved + "' itself; use groupId(...) and "
                            + "deserializer(...) instead of the property (offsets are committed only for written results)");
                }
            }
            return new KafkaSource<>(this);
        }

        private static String requireText(String value, String what) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return value;
        }
    }
}
