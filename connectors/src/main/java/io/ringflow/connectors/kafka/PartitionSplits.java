package io.ringflow.connectors.kafka;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The partitions a reader owns, each as a split of the reader: split index, partition and the
 * offset after its last emitted record, kept in arrays indexed by split. Changed on
 * assignment and revocation (rare); read and advanced per record without allocating or
 * boxing, where a map keyed by {@code TopicPartition} would need a new key for every record.
 */
final class PartitionSplits {

    /** What {@link #splitOf} returns for a partition the reader does not own. */
    static final int NOT_OWNED = -1;

    /** The topics of owned partitions, in the order first seen; a reader has one or a few. */
    private String[] topics = new String[0];
    /** Per topic (as in {@link #topics}), the split of each partition number, or {@link #NOT_OWNED}. */
    private int[][] splitByPartition = new int[0][];
    /** Per split, its partition, or {@code null} while the index is free for reuse. */
    private TopicPartition[] partitions = new TopicPartition[4];
    /** Per split, the offset after the last record emitted (or handed to the error handler). */
    private long[] positions = new long[4];
    private int owned;

    /** The split reading {@code topic}'s partition {@code partition}, or {@link #NOT_OWNED}. */
    int splitOf(String topic, int partition) {
        for (int t = 0; t < topics.length; t++) {
            if (topics[t].equals(topic)) {
                int[] splits = splitByPartition[t];
                return partition >= 0 && partition < splits.length ? splits[partition] : NOT_OWNED;
            }
        }
        return NOT_OWNED;
    }

    boolean owns(TopicPartition partition) {
        return splitOf(partition.topic(), partition.partition()) != NOT_OWNED;
    }

    boolean isEmpty() {
        return owned == 0;
    }

    /**
     * The reader now owns {@code partition}, from offset {@code position}: gives it the lowest
     * free split index (indexes are reused after a partition leaves) and returns it.
     */
    int add(TopicPartition partition, long position) {
        int split = 0;
        while (split < partitions.length && partitions[split] != null) {
            split++;
        }
        if (split == partitions.length) {
            partitions = Arrays.copyOf(partitions, split * 2);
            positions = Arrays.copyOf(positions, split * 2);
        }
        partitions[split] = partition;
        positions[split] = position;
        splitsOf(partition.topic(), partition.partition())[partition.partition()] = split;
        owned++;
        return split;
    }

    /** The reader no longer owns {@code partition}: returns the split it had, or {@link #NOT_OWNED}. */
    int remove(TopicPartition partition) {
        int split = splitOf(partition.topic(), partition.partition());
        if (split != NOT_OWNED) {
            splitsOf(partition.topic(), partition.partition())[partition.partition()] = NOT_OWNED;
            partitions[split] = null;
            owned--;
        }
        return split;
    }

    /** Split {@code split} has emitted (or skipped) every record before {@code position}. */
    void advance(int split, long position) {
        positions[split] = position;
    }

    /** Adds each owned partition's position to {@code into}. */
    void putPositions(Map<TopicPartition, Long> into) {
        for (int split = 0; split < partitions.length; split++) {
            if (partitions[split] != null) {
                into.put(partitions[split], positions[split]);
            }
        }
    }

    /** The owned partitions, in split order, for log lines. */
    List<TopicPartition> owned() {
        List<TopicPartition> all = new ArrayList<>(owned);
        for (TopicPartition partition : partitions) {
            if (partition != null) {
                all.add(partition);
            }
        }
        return all;
    }

    /** {@code topic}'s split-by-partition array, grown to hold {@code partition}. */
    private int[] splitsOf(String topic, int partition) {
        int t = 0;
        while (t < topics.length && !topics[t].equals(topic)) {
            t++;
        }
        if (t == topics.length) {
            topics = Arrays.copyOf(topics, t + 1);
            topics[t] = topic;
            splitByPartition = Arrays.copyOf(splitByPartition, t + 1);
            splitByPartition[t] = new int[0];
        }
        int[] splits = splitByPartition[t];
        if (partition >= splits.length) {
            int old = splits.length;
            splits = Arrays.copyOf(splits, Math.max(partition + 1, old * 2));
            Arrays.fill(splits, old, splits.length, NOT_OWNED);
            splitByPartition[t] = splits;
        }
        return splits;
    }
}
