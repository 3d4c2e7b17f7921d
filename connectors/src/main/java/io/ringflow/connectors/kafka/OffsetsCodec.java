package io.ringflow.connectors.kafka;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/** A reader's offsets per partition as checkpoint bytes: count, then (topic, partition, offset) each. */
final class OffsetsCodec {

    private OffsetsCodec() {
    }

    static byte[] encode(Map<TopicPartition, Long> offsets) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(offsets.size());
            for (Map.Entry<TopicPartition, Long> entry : offsets.entrySet()) {
                out.writeUTF(entry.getKey().topic());
                out.writeInt(entry.getKey().partition());
                out.writeLong(entry.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * How far the offsets got in each partition number, summed over topics: grows as any of a
     * partition's topics is read, so the largest is the newest copy of the partition's state.
     */
    static Map<Integer, Long> progress(byte[] bytes) {
        Map<Integer, Long> progress = new HashMap<>();
        decode(bytes).forEach((partition, offset) -> progress.merge(partition.partition(), offset, Long::sum));
        return progress;
    }

    static Map<TopicPartition, Long> decode(byte[] bytes) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        if (bytes.length == 0) {
            return offsets;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                offsets.put(new TopicPartition(in.readUTF(), in.readInt()), in.readLong());
            }
        } catch (IOException e) {
            throw new IllegalStateException("the checkpoint's Kafka offsets are unreadable: " + e, e);
        }
        return offsets;
    }
}
