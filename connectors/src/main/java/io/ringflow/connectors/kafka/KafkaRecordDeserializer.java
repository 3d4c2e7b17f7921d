package io.ringflow.connectors.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns one Kafka record (raw key and value bytes, headers, partition, offset, timestamp) into
 * the value a {@link KafkaSource} emits. Throwing sends the raw record to the pipeline's error
 * handler; returning {@code null} skips the record (a tombstone, say).
 */
@FunctionalInterface
public interface KafkaRecordDeserializer<T> {

    T deserialize(ConsumerRecord<byte[], byte[]> record) throws Exception;
}
