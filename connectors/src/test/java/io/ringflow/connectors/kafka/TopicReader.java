package io.ringflow.connectors.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Everything a topic of {@link ChaosTest} holds, read on from where the last {@link #poll}
 * ended, with the latest value of each key (records whose key starts with "end" are markers,
 * not counts).
 */
final class TopicReader implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    final KafkaConsumer<String, String> consumer;
    final List<TopicPartition> partitions = new ArrayList<>();
    final List<ConsumerRecord<String, String>> records = new ArrayList<>();
    final Map<String, Long> latest = new TreeMap<>();
    long grewAt = System.nanoTime();

    TopicReader(String bootstrap, String topic, boolean committedOnly) {
        consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "isolation.level", committedOnly ? "read_committed" : "read_uncommitted"),
                new StringDeserializer(), new StringDeserializer());
        for (PartitionInfo info : consumer.partitionsFor(topic)) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    static boolean isMarker(String key) {
        return key.startsWith("end");
    }

    /** Reads up to the end the topic has now (for read_committed: its last stable offset). */
    TopicReader poll() {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                records.add(r);
                if (!isMarker(r.key())) {
                    latest.put(r.key(), Long.parseLong(r.value()));
                }
                grewAt = System.nanoTime();
            }
        }
        return this;
    }

    Map<String, Long> latestCounts() {
        return latest;
    }

    /** Polls the outputs until {@code done}, or until they stop growing for {@code quiet}, or {@code limit}. */
    static boolean settle(BooleanSupplier done, Duration quiet, Duration limit, TopicReader... outputs) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            long grew = Long.MIN_VALUE;
            for (TopicReader output : outputs) {
                output.poll();
                grew = Math.max(grew, output.grewAt);
            }
            if (done.getAsBoolean()) {
                return true;
            }
            long now = System.nanoTime();
            if (now - grew > quiet.toNanos() || now > deadline) {
                return false;
            }
            LockSupport.parkNanos(50_000_000L);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
