package io.ringflow.connectors.kafka;

import io.ringflow.SourceContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reader of a {@link KafkaSource}: one consumer, driven by the reader's thread. Each
 * owned partition is a split of the reader (its own watermark). Offsets are remembered at
 * every position mark and committed once the pipeline says the mark is written.
 */
final class KafkaSourceReader<T> implements ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSourceReader.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    /** While the pipeline is behind: poll this often with every partition paused, to stay in the group. */
    private static final Duration PAUSED_POLL = Duration.ofMillis(1);
    private static final Duration WRITTEN_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaSource<T> source;
    private final SourceContext<T> context;
    private final boolean commits;
    private KafkaConsumer<byte[], byte[]> consumer;
    /** Split index of each owned partition; indexes are reused after a partition leaves. */
    private final Map<TopicPartition, Integer> splits = new HashMap<>();
    private final BitSet usedSplits = new BitSet();
    /** Per owned partition, the offset after the last record emitted (or handed to the error handler). */
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    /**
     * The reader has returned or is returning: the consumer's last callbacks (as it leaves the
     * group, maybe on another thread after the final checkpoint) must leave positions alone
     * and not touch the context.
     */
    private volatile boolean stopped;
    /** Offsets as they were at each mark not yet written, by mark id. */
    private final TreeMap<Long, Map<TopicPartition, Long>> marked = new TreeMap<>();
    /** Records polled but not emitted yet, in poll order (per partition in offset order). */
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> backlog = new ArrayDeque<>();
    /** The backlog head, deserialized, while it waits for a free slot. */
    private T headValue;
    private boolean paused;
    /** With checkpoints: offsets as of each checkpoint's barrier, by checkpoint id, until committed. */
    private final TreeMap<Long, Map<TopicPartition, Long>> checkpointed = new TreeMap<>();
    /** With checkpoints: the offsets the restored checkpoint recorded; they win over committed ones. */
    private final Map<TopicPartition, Long> restored = new HashMap<>();

    KafkaSourceReader(KafkaSource<T> source, SourceContext<T> context) {
        this.source = source;
        this.context = context;
        this.commits = source.groupId() != null;
    }

    void run() {
        checkTopics();
        if (context.checkpointing()) {
            if (!context.handsOverPartitions()) {
                // Handed-over partitions resume from the copy of their state acquirePartitions picks.
                context.restoredPosition().ifPresent(bytes -> restored.putAll(OffsetsCodec.decode(bytes)));
                // Until the group assigns them, the restored state still holds these partitions'
                // records up to these offsets: a checkpoint taken before the assignment must say
                // so, or its restore would resume them at older committed offsets and count twice.
                positions.putAll(restored);
            }
            context.positionForCheckpoints(id -> {
                Map<TopicPartition, Long> offsets = new HashMap<>(positions);
                checkpointed.put(id, offsets);
                return OffsetsCodec.encode(offsets);
            });
        }
        KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(consumerProperties(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        boolean closeLater = false;
        try {
            consumer = kafka;
            if (source.subscribes()) {
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
            commitOnStop();
            stopped = true;
            if (context.handsOverPartitions()) {
                // Leaving the group now would hand the partitions over from an older checkpoint:
                // stay until the stop's final checkpoint holds where they stand.
                context.closeAfterFinalCheckpoint(kafka);
                closeLater = true;
            }
        } finally {
            stopped = true;
            if (!closeLater) {
                kafka.close();
            }
        }
    }

    private void readUntilStopped() {
        long nextMarkAt = System.nanoTime() + source.commitInterval().toNanos();
        while (context.isRunning()) {
            if (backlog.isEmpty()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                    backlog.add(record);
                }
            }
            emitBacklog();
            if (commits && context.checkpointing()) {
                commitCheckpointed(false);
            } else if (commits) {
                long now = System.nanoTime();
                if (now - nextMarkAt >= 0) {
                    mark();
                    nextMarkAt = now + source.commitInterval().toNanos();
                }
                commitWritten(false);
            }
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
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            Integer split = splits.get(partition);
            if (split == null) {
                drop(); // its partition was revoked while it waited; the new owner reads it
                continue;
            }
            if (headValue == null) {
                try {
                    headValue = source.deserializer().deserialize(record);
                } catch (Exception e) {
                    context.reportError(record, e);
                    advance(partition, record);
                    continue;
                }
                if (headValue == null) {
                    advance(partition, record); // the deserializer skips it (a tombstone, say)
                    continue;
                }
            }
            if (context.tryEmit(headValue, record.timestamp(), split)) {
                advance(partition, record);
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

    private void advance(TopicPartition partition, ConsumerRecord<byte[], byte[]> record) {
        positions.put(partition, record.offset() + 1);
        drop();
    }

    private void drop() {
        backlog.pollFirst();
        headValue = null;
    }

    private long mark() {
        long mark = context.markPosition();
        marked.put(mark, new HashMap<>(positions));
        return mark;
    }

    /** Commits the offsets of the newest written mark, for partitions this reader still owns. */
    private void commitWritten(boolean synchronously) {
        long written = context.writtenMark();
        Map<TopicPartition, Long> offsets = null;
        while (!marked.isEmpty() && marked.firstKey() <= written) {
            Map<TopicPartition, Long> at = marked.pollFirstEntry().getValue();
            if (offsets == null) {
                offsets = at;
            } else {
                offsets.putAll(at);
            }
        }
        if (offsets != null) {
            commit(offsets, synchronously);
        }
    }

    private void commit(Map<TopicPartition, Long> offsets, boolean synchronously) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (splits.containsKey(partition)) { // a moved partition's offset is its new owner's to commit
                commit.put(partition, new OffsetAndMetadata(offset));
            }
        });
        if (commit.isEmpty()) {
            return;
        }
        if (synchronously) {
            consumer.commitSync(commit);
        } else {
            consumer.commitAsync(commit, (committed, e) -> {
                if (e != null) {
                    LOG.warn("could not commit offsets {} (they will be committed with the next ones): {}", committed, e.toString());
                }
            });
        }
    }

    /** Commits the offsets of the newest completed checkpoint: Kafka's view follows the checkpoints. */
    private void commitCheckpointed(boolean synchronously) {
        long completed = context.completedCheckpoint();
        Map<TopicPartition, Long> offsets = null;
        while (!checkpointed.isEmpty() && checkpointed.firstKey() <= completed) {
            offsets = checkpointed.pollFirstEntry().getValue();
        }
        if (offsets != null) {
            commit(offsets, synchronously);
        }
    }

    /** Everything read is in the pipeline; once its results are written, its offsets are committed. */
    private void commitOnStop() {
        if (!commits || splits.isEmpty() || context.checkpointing()) {
            return;
        }
        long mark = mark();
        if (context.awaitWritten(mark, WRITTEN_TIMEOUT)) {
            commitWritten(true);
        } else {
            LOG.warn("Kafka source {}: results of the last records were not written within {}; their offsets stay "
                    + "uncommitted and they will be read again", source, WRITTEN_TIMEOUT);
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
        if (stopped || !context.isRunning()) {
            // The consumer leaves the group as the pipeline stops: the stop's final checkpoint
            // still has to record where each partition stood, so a restart reads nothing twice.
            return;
        }
        if (context.handsOverPartitions() && !revoked.isEmpty()) {
            // The next owner takes the partitions' state from this checkpoint and resumes at its offsets.
            context.releasePartitions(statePartitions(revoked), true);
            commitCheckpointed(true);
        }
        if (commits && !revoked.isEmpty() && !context.checkpointing()) {
            // The next owner starts at the committed offset: commit exactly what was written.
            long mark = mark();
            if (context.awaitWritten(mark, WRITTEN_TIMEOUT)) {
                commitWritten(true);
            } else {
                LOG.warn("Kafka source {}: results for revoked partitions {} were not written within {}; their new "
                        + "owner will read some records again", source, revoked, WRITTEN_TIMEOUT);
            }
        }
        release(revoked);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
        if (stopped || !context.isRunning()) {
            return; // as on revoke: the final checkpoint records them
        }
        if (context.handsOverPartitions() && !lost.isEmpty()) {
            // Another member may own them already, from an earlier checkpoint: this state is stale.
            context.releasePartitions(statePartitions(lost), false);
        }
        release(lost); // another member may own them already: committing now could rewind it
    }

    /** The state partitions of {@code partitions}: their numbers (co-partitioned topics share them). */
    private static int[] statePartitions(Collection<TopicPartition> partitions) {
        return partitions.stream().mapToInt(TopicPartition::partition).distinct().sorted().toArray();
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
        boolean handsOver = context.handsOverPartitions();
        if (handsOver) {
            Map<Integer, byte[]> copies = context.acquirePartitions(statePartitions(assigned), OffsetsCodec::progress);
            copies.forEach((partition, position) -> OffsetsCodec.decode(position).forEach((tp, offset) -> {
                if (tp.partition() == partition && assigned.contains(tp)) {
                    restored.put(tp, offset); // the copy of the partition's state was taken here
                }
            }));
        }
        if (assigned.isEmpty()) {
            return;
        }
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
        if (commits && !fresh.isEmpty() && !handsOver) {
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
        for (TopicPartition partition : assigned) {
            int split = usedSplits.nextClearBit(0);
            usedSplits.set(split);
            splits.put(partition, split);
            if (handsOver) {
                context.addSplit(split, partition.partition());
            } else {
                context.addSplit(split);
            }
            // Checkpoints record every owned partition, read or not: a partition quiet for a whole
            // run would otherwise drop out of its checkpoints, and the next run, or the next owner,
            // would read it again from the starting offsets.
            positions.put(partition, consumer.position(partition));
        }
        if (paused) {
            consumer.pause(assigned);
        }
        LOG.info("Kafka source {} reader {} now reads {}", source, context.reader(), splits.keySet());
    }

    private void release(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            Integer split = splits.remove(partition);
            if (split != null) {
                usedSplits.clear(split);
                context.removeSplit(split);
            }
            positions.remove(partition);
        }
        backlog.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
        headValue = null; // the head may have been removed; deserialize again
        if (!partitions.isEmpty()) {
            LOG.info("Kafka source {} reader {} now reads {}", source, context.reader(), splits.keySet());
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
        if (context.handsOverPartitions()) {
            // Only partitions that really move are revoked, so only their state is handed over;
            // an eager rebalance would checkpoint and reload every partition each time.
            props.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                    org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());
        }
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "ringflow-" + (source.groupId() == null ? "source"
                : source.groupId()) + "-" + context.reader());
        return props;
    }

    private void checkTopics() {
        if (source.subscribes()) {
            KafkaTopics.describe(source.properties(), source.topics(), "source " + source);
            return;
        }
        List<TopicPartition> mine = source.partitionsOf(context.reader());
        Set<String> topics = new HashSet<>();
        mine.forEach(p -> topics.add(p.topic()));
        if (topics.isEmpty()) {
            return;
        }
        Map<String, TopicDescription> described = KafkaTopics.describe(source.properties(), topics, "source " + source);
        for (TopicPartition partition : mine) {
            int count = described.get(partition.topic()).partitions().size();
            if (partition.partition() < 0 || partition.partition() >= count) {
                throw new IllegalStateException("Kafka topic '" + partition.topic() + "' has " + count
                        + " partition(s), numbered 0 to " + (count - 1) + ": there is no partition " + partition.partition());
            }
        }
    }
}
