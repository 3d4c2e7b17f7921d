package io.ringflow.connectors.kafka;

/**
 * Turns a value into the key and value bytes of the Kafka record a {@link KafkaSink} sends.
 * Throwing sends the value to the pipeline's error handler.
 */
@FunctionalInterface
public interface KafkaRecordSerializer<T> {

    /**
     * @param topic the sink's topic, for serializers that use it (schema registries do)
     * @return key bytes (may be {@code null}: no key, round-robin partitioning) and value bytes
     */
    KeyValueBytes serialize(String topic, T value) throws Exception;

    /** A serialized record. */
    record KeyValueBytes(byte[] key, byte[] value) {
    }
}
