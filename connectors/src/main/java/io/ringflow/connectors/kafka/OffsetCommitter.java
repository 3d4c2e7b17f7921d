package io.ringflow.connectors.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Commits a reader's offsets to Kafka, for the partitions it still owns; both commit modes share it. */
final class OffsetCommitter {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetCommitter.class);
    /** A failed asynchronous commit is not retried: the next commit carries newer offsets anyway. */
    private static final OffsetCommitCallback WARN_ON_FAILURE = (committed, e) -> {
        if (e != null) {
            LOG.warn("could not commit offsets {} (they will be committed with the next ones): {}", committed, e.toString());
        }
    };

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final PartitionSplits splits;

    OffsetCommitter(KafkaConsumer<byte[], byte[]> consumer, PartitionSplits splits) {
        this.consumer = consumer;
        this.splits = splits;
    }

    /** Commits {@code offsets}, leaving out partitions that moved: their offsets are the new owner's to commit. */
    void commit(Map<TopicPartition, Long> offsets, boolean synchronously) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (splits.owns(partition)) {
                commit.put(partition, new OffsetAndMetadata(offset));
            }
        });
        if (commit.isEmpty()) {
            return;
        }
        if (synchronously) {
            consumer.commitSync(commit);
        } else {
            consumer.commitAsync(commit, WARN_ON_FAILURE);
        }
    }
}
