package io.ringflow.connectors.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a {@link KafkaSource} starts reading a partition for which its consumer group has no
 * committed offset (with a group, committed offsets always win, so a restarted application
 * resumes where it left off). Without a group id, it applies to every partition.
 */
public abstract class StartingOffsets {

    private StartingOffsets() {
    }

    /** The oldest record still in the partition. */
    public static StartingOffsets earliest() {
        return new StartingOffsets() {
            @Override
            void seek(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                consumer.seekToBeginning(partitions);
            }

            @Override
            public String toString() {
                return "earliest";
            }
        };
    }

    /** Only records produced after the source started. */
    public static StartingOffsets latest() {
        return new StartingOffsets() {
            @Override
            void seek(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                consumer.seekToEnd(partitions);
                // seekToEnd is lazy: pin the position now, or records produced before the
                // first poll's position lookup would be skipped or read depending on timing.
                partitions.forEach(consumer::position);
            }

            @Override
            public String toString() {
                return "latest";
            }
        };
    }

    /**
     * The given offset per partition (the first record read is the one at that offset). A
     * partition missing from the map starts at the earliest record.
     */
    public static StartingOffsets offsets(Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, Long> copy = Map.copyOf(offsets);
        return new StartingOffsets() {
            @Override
            void seek(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                for (TopicPartition partition : partitions) {
                    Long offset = copy.get(partition);
                    if (offset == null) {
                        consumer.seekToBeginning(List.of(partition));
                    } else {
                        consumer.seek(partition, offset);
                    }
                }
            }

            @Override
            public String toString() {
                return "offsets" + copy;
            }
        };
    }

    /**
     * The first record whose timestamp is at or after {@code epochMillis}; a partition with
     * none starts at its end. Costs one offsets-for-times request per assignment.
     */
    public static StartingOffsets timestamp(long epochMillis) {
        return new StartingOffsets() {
            @Override
            void seek(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                Map<TopicPartition, Long> query = new HashMap<>();
                partitions.forEach(p -> query.put(p, epochMillis));
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
                for (TopicPartition partition : partitions) {
                    OffsetAndTimestamp at = found.get(partition);
                    if (at == null) {
                        consumer.seekToEnd(List.of(partition));
                        consumer.position(partition);
                    } else {
                        consumer.seek(partition, at.offset());
                    }
                }
            }

            @Override
            public String toString() {
                return "timestamp(" + epochMillis + ")";
            }
        };
    }

    /** Positions {@code consumer} on each of {@code partitions}. */
    abstract void seek(Consumer<?, ?> consumer, Collection<TopicPartition> partitions);
}
