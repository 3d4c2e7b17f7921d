package io.ringflow.connectors.kafka;

import io.ringflow.SourceContext;
import java.util.Collection;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * When a reader commits its partitions' offsets to Kafka: one implementation per commit mode,
 * chosen once per run by {@link #of}. The reader calls these from its own thread.
 */
interface OffsetCommits {

    /** Without a group id nothing is committed. */
    OffsetCommits NONE = new OffsetCommits() {
        @Override
        public void afterPoll() {
        }

        @Override
        public void beforeRevoke(Collection<TopicPartition> revoked) {
        }

        @Override
        public void onStop() {
        }
    };

    /**
     * The mode for {@code source}: none without a group id; with checkpoints, the offsets of
     * each completed checkpoint; otherwise the offsets at each position mark once it is written.
     *
     * @param positions each partition's offset after the last record emitted, as a new map
     */
    static OffsetCommits of(KafkaSource<?> source, SourceContext<?> context, OffsetCommitter committer,
                            PartitionSplits splits, Supplier<Map<TopicPartition, Long>> positions) {
        if (source.groupId() == null) {
            return NONE;
        }
        if (context.checkpointing()) {
            return new CheckpointCommits(context.inputCommits(), committer, context.partitionHandover().isPresent());
        }
        return new MarkCommits(source, context.inputCommits(), committer, splits, positions);
    }

    /**
     * A checkpoint's barrier is placed with {@code offsets} as this reader's position (a map no
     * one changes afterwards).
     */
    default void checkpointTaken(long id, Map<TopicPartition, Long> offsets) {
    }

    /** Once per pass of the poll loop, after the backlog is emitted: commits what may be committed now, without waiting. */
    void afterPoll();

    /**
     * {@code revoked} (not empty) are about to leave the reader; their state, if it follows
     * them, has been checkpointed. Commits, synchronously, where their next owner should start.
     */
    void beforeRevoke(Collection<TopicPartition> revoked);

    /** The reader has stopped reading: commits what it read, once the results are written. */
    void onStop();
}
