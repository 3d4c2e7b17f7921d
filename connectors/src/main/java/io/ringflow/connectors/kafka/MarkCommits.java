package io.ringflow.connectors.kafka;

import io.ringflow.InputCommits;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Without checkpoints, offsets are committed for records whose results every sink has
 * written (at-least-once): every commit interval the reader places a position mark behind what
 * it emitted and remembers its offsets; once the mark is written, they are committed.
 */
final class MarkCommits implements OffsetCommits {

    private static final Logger LOG = LoggerFactory.getLogger(MarkCommits.class);
    private static final Duration WRITTEN_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaSource<?> source;
    private final InputCommits commits;
    private final OffsetCommitter committer;
    private final PartitionSplits splits;
    private final Supplier<Map<TopicPartition, Long>> positions;
    private final long intervalNanos;
    /** Offsets as they were at each mark not yet written, by mark id. */
    private final TreeMap<Long, Map<TopicPartition, Long>> marked = new TreeMap<>();
    private long nextMarkAt;

    MarkCommits(KafkaSource<?> source, InputCommits commits, OffsetCommitter committer, PartitionSplits splits,
                Supplier<Map<TopicPartition, Long>> positions) {
        this.source = source;
        this.commits = commits;
        this.committer = committer;
        this.splits = splits;
        this.positions = positions;
        this.intervalNanos = source.commitInterval().toNanos();
        this.nextMarkAt = System.nanoTime() + intervalNanos;
    }

    @Override
    public void afterPoll() {
        long now = System.nanoTime();
        if (now - nextMarkAt >= 0) {
            mark();
            nextMarkAt = now + intervalNanos;
        }
        commitWritten(false);
    }

    /** The next owner starts at the committed offset: commit exactly what was written. */
    @Override
    public void beforeRevoke(Collection<TopicPartition> revoked) {
        long mark = mark();
        if (commits.awaitWritten(mark, WRITTEN_TIMEOUT)) {
            commitWritten(true);
        } else {
            LOG.warn("Kafka source {}: results for revoked partitions {} were not written within {}; their new "
                    + "owner will read some records again", source, revoked, WRITTEN_TIMEOUT);
        }
    }

    /** Everything read is in the pipeline; once its results are written, its offsets are committed. */
    @Override
    public void onStop() {
        if (splits.isEmpty()) {
            return;
        }
        long mark = mark();
        if (commits.awaitWritten(mark, WRITTEN_TIMEOUT)) {
            commitWritten(true);
        } else {
            LOG.warn("Kafka source {}: results of the last records were not written within {}; their offsets stay "
                    + "uncommitted and they will be read again", source, WRITTEN_TIMEOUT);
        }
    }

    private long mark() {
        long mark = commits.markPosition();
        marked.put(mark, positions.get());
        return mark;
    }

    /** Commits the offsets of the newest written mark. */
    private void commitWritten(boolean synchronously) {
        long written = commits.writtenMark();
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
            committer.commit(offsets, synchronously);
        }
    }
}
