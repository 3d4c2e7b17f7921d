package io.ringflow.connectors.kafka;

import io.ringflow.PartitionHandover;
import io.ringflow.SourceContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reader of a {@link KafkaSource}: one consumer, driven by the reader's thread. Each
 * owned partition is a split of the reader (its own watermark). When offsets are committed is
 * the {@link OffsetCommits} mode's business.
 */
final class KafkaSourceReader<T> implements ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSourceReader.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    /** While the pipeline is behind: poll this often with every partition paused, to stay in the group. */
    private static final Duration PAUSED_POLL = Duration.ofMillis(1);

    private final KafkaSource<T> source;
    private final SourceContext<T> context;
    /** How partitions' keyed state moves with them; {@code null} when it stays with this instance. */
    private final PartitionHandover handover;
    private final boolean commits;
    private KafkaConsumer<byte[], byte[]> consumer;
    private final PartitionSplits splits = new PartitionSplits();
    private OffsetCommits offsetCommits = OffsetCommits.NONE;
    /**
     * The reader has returned or is returning: the consumer's last callbacks (as it leaves the
     * group, maybe on another thread after the final checkpoint) must leave positions alone
     * and not touch the context.
     */
    private volatile boolean stopped;
    /** Records polled but not emitted yet, in poll order (per partition in offset order). */
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> backlog = new ArrayDeque<>();
    /** The backlog head, deserialized, while it waits for a free slot. */
    private T headValue;
    private boolean paused;
    /**
     * With checkpoints: the offsets the restored checkpoint recorded, for partitions not
     * assigned here yet; they win over committed ones.
     */
    private final Map<TopicPartition, Long> restored = new HashMap<>();
    /**
     * A static member (group.instance.id) whose partitions' state moves with them asks for one
     * rebalance after its first assignment: it may have taken over the id of a predecessor killed
     * between the two rounds of a cooperative rebalance, and the coordinator then hands it the
     * first round's assignment without a rebalance. The partition the predecessor was revoking
     * is in nobody's assignment, and with no member left that revoked it nobody asks for the
     * second round: it would stay unread in a stable group.
     */
    private boolean rejoinAfterFirstAssignment;
    private boolean assignmentSeen;

    KafkaSourceReader(KafkaSource<T> source, SourceContext<T> context) {
        this.source = source;
        this.context = context;
        this.handover = context.partitionHandover().orElse(null);
        this.commits = source.groupId() != null;
    }

    void run() {
        KafkaTopics.checkSource(source, context.reader());
        KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(consumerProperties(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        boolean closeLater = false;
        try {
            consumer = kafka;
            offsetCommits = OffsetCommits.of(source, context, new OffsetCommitter(kafka, splits), splits,
                    this::positions);
            if (context.checkpointing()) {
                recordPositionsInCheckpoints();
            }
            if (source.subscribes()) {
                rejoinAfterFirstAssignment = handover != null
                        && source.properties().get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG) != null;
                consumer.subscribe(source.topics(), this);
            } else {
                List<TopicPartition> mine = source.partitionsOf(context.reader());
                if (mine.isEmpty()) {
                    return; // more readers than partitions: this one has nothing to read
                }
                consumer.assign(mine);
                onPartitionsAssigned(mine);
            }
            try {
                readUntilStopped();
            } catch (InterruptException stopInterrupt) {
                if (context.isRunning()) {
                    throw stopInterrupt;
                }
                Thread.interrupted(); // the stop's interrupt; the final commit below must not see it
            }
            offsetCommits.onStop();
            stopped = true;
            if (handover != null) {
                // Leaving the group now would hand the partitions over from an older checkpoint:
                // stay until the stop's final checkpoint holds where they stand.
                handover.closeAfterFinalCheckpoint(kafka);
                closeLater = true;
            }
        } finally {
            stopped = true;
            if (!closeLater) {
                kafka.close();
            }
        }
    }

    private void recordPositionsInCheckpoints() {
        if (handover == null) {
            // Handed-over partitions resume from the copy of their state acquirePartitions picks.
            context.restoredPosition().ifPresent(bytes -> restored.putAll(OffsetsCodec.decode(bytes)));
        }
        context.positionForCheckpoints(id -> {
            Map<TopicPartition, Long> offsets = positions();
            offsetCommits.checkpointTaken(id, offsets);
            return OffsetsCodec.encode(offsets);
        });
    }

    /**
     * Each owned partition's offset after its last emitted record, and the restored offset of
     * each partition the group has not assigned here yet: until then the restored state still
     * holds its records up to there, and a checkpoint taken meanwhile must say so, or its
     * restore would resume the partition at an older committed offset and count twice.
     */
    private Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> positions = new HashMap<>(restored);
        splits.putPositions(positions);
        return positions;
    }

    private void readUntilStopped() {
        while (context.isRunning()) {
            if (backlog.isEmpty()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                    backlog.add(record);
                }
            }
            emitBacklog();
            if (rejoinAfterFirstAssignment && assignmentSeen) {
                rejoinAfterFirstAssignment = false;
                consumer.enforceRebalance("a static member's first assignment may miss a partition its predecessor"
                        + " was revoking");
            }
            offsetCommits.afterPoll();
        }
    }

    /**
     * Emits the backlog in order. When the ring is full, pauses every partition and polls
     * (which returns nothing for paused partitions) until there is room: the group sees a live
     * member and nothing piles up in memory.
     */
    private void emitBacklog() {
        while (!backlog.isEmpty()) {
            ConsumerRecord<byte[], byte[]> record = backlog.peekFirst();
            int split = splits.splitOf(record.topic(), record.partition());
            if (split == PartitionSplits.NOT_OWNED) {
                drop(); // its partition was revoked while it waited; the new owner reads it
                continue;
            }
            if (headValue == null) {
                try {
                    headValue = source.deserializer().deserialize(record);
                } catch (Exception e) {
                    context.reportError(record, e);
                    advance(split, record);
                    continue;
                }
                if (headValue == null) {
                    advance(split, record); // the deserializer skips it (a tombstone, say)
                    continue;
                }
            }
            if (context.tryEmit(headValue, record.timestamp(), split)) {
                advance(split, record);
            } else {
                waitForRoom();
            }
        }
        if (paused) {
            consumer.resume(consumer.paused());
            paused = false;
        }
    }

    private void waitForRoom() {
        if (!paused) {
            consumer.pause(consumer.assignment());
            paused = true;
        }
        // Partitions assigned during this poll are not paused yet: keep what they return.
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(PAUSED_POLL)) {
            backlog.add(record);
        }
        consumer.pause(consumer.assignment());
    }

    private void advance(int split, ConsumerRecord<byte[], byte[]> record) {
        splits.advance(split, record.offset() + 1);
        drop();
    }

    private void drop() {
        backlog.pollFirst();
        headValue = null;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
        if (stopped || !context.isRunning()) {
            // The consumer leaves the group as the pipeline stops: the stop's final checkpoint
            // still has to record where each partition stood, so a restart reads nothing twice.
            return;
        }
        if (!revoked.isEmpty()) {
            if (handover != null) {
                // The next owner takes the partitions' state from this checkpoint and resumes at its offsets.
                handover.releasePartitions(statePartitions(revoked), true);
            }
            offsetCommits.beforeRevoke(revoked);
        }
        release(revoked);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
        if (stopped || !context.isRunning()) {
            return; // as on revoke: the final checkpoint records them
        }
        if (handover != null && !lost.isEmpty()) {
            // Another member may own them already, from an earlier checkpoint: this state is stale.
            handover.releasePartitions(statePartitions(lost), false);
        }
        release(lost); // another member may own them already: committing now could rewind it
    }

    /** The state partitions of {@code partitions}: their numbers (co-partitioned topics share them). */
    private static int[] statePartitions(Collection<TopicPartition> partitions) {
        return partitions.stream().mapToInt(TopicPartition::partition).distinct().sorted().toArray();
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
        assignmentSeen = true;
        if (handover != null) {
            Map<Integer, byte[]> copies = handover.acquirePartitions(statePartitions(assigned), OffsetsCodec::progress);
            copies.forEach((partition, position) -> OffsetsCodec.decode(position).forEach((tp, offset) -> {
                if (tp.partition() == partition && assigned.contains(tp)) {
                    restored.put(tp, offset); // the copy of the partition's state was taken here
                }
            }));
        }
        if (assigned.isEmpty()) {
            return;
        }
        seekToStart(assigned);
        for (TopicPartition partition : assigned) {
            // Checkpoints record every owned partition, read or not: a partition quiet for a whole
            // run would otherwise drop out of its checkpoints, and the next run, or the next owner,
            // would read it again from the starting offsets.
            int split = splits.add(partition, consumer.position(partition));
            if (handover != null) {
                handover.addSplit(split, partition.partition());
            } else {
                context.addSplit(split);
            }
        }
        if (paused) {
            consumer.pause(assigned);
        }
        LOG.info("Kafka source {} reader {} now reads {}", source, context.reader(), splits.owned());
    }

    /**
     * Positions newly assigned partitions: at the restored checkpoint's offset if it has one,
     * else at the committed offset, else where {@link StartingOffsets} says.
     */
    private void seekToStart(Collection<TopicPartition> assigned) {
        Set<TopicPartition> fresh = new HashSet<>(assigned);
        for (TopicPartition partition : assigned) {
            Long offset = restored.remove(partition);
            if (offset != null) {
                consumer.seek(partition, offset); // the restored checkpoint's cut wins
                fresh.remove(partition);
            }
        }
        // With state that follows partitions, a partition's state and its position come from one
        // checkpoint: one no checkpoint holds starts empty, so it is read from the starting offsets,
        // never from committed offsets whose state is gone (that would silently lose what it counted).
        if (commits && !fresh.isEmpty() && handover == null) {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(fresh));
            committed.forEach((partition, offset) -> {
                if (offset != null) {
                    fresh.remove(partition);
                }
            });
        }
        if (!fresh.isEmpty()) {
            source.startingOffsets().seek(consumer, fresh);
        }
    }

    private void release(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            int split = splits.remove(partition);
            if (split != PartitionSplits.NOT_OWNED) {
                context.removeSplit(split);
            }
        }
        backlog.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
        headValue = null; // the head may have been removed; deserialize again
        if (!partitions.isEmpty()) {
            LOG.info("Kafka source {} reader {} now reads {}", source, context.reader(), splits.owned());
        }
    }

    private Properties consumerProperties() {
        Properties props = new Properties();
        props.putAll(source.properties());
        if (source.groupId() != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, source.groupId());
        }
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Partitions without a committed offset are positioned by StartingOffsets; this only
        // applies when a position falls out of the log (retention deleted it).
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (handover != null) {
            // Only partitions that really move are revoked, so only their state is handed over;
            // an eager rebalance would checkpoint and reload every partition each time.
            props.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                    CooperativeStickyAssignor.class.getName());
        }
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "ringflow-" + (source.groupId() == null ? "source"
                : source.groupId()) + "-" + context.reader());
        return props;
    }
}
