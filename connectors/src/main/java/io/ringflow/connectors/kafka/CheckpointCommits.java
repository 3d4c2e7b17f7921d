package io.ringflow.connectors.kafka;

import io.ringflow.InputCommits;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * With checkpoints, Kafka's committed offsets follow the checkpoints: the offsets a checkpoint
 * recorded are committed once it is complete on disk, never earlier, so a consumer that starts
 * from them (the group's next owner of a partition) reads what the checkpoint had not counted.
 */
final class CheckpointCommits implements OffsetCommits {

    private final InputCommits commits;
    private final OffsetCommitter committer;
    /** State follows partitions: releasing revoked ones takes a checkpoint, whose offsets are committed then. */
    private final boolean handsOver;
    /** Offsets as of each checkpoint's barrier, by checkpoint id, until committed. */
    private final TreeMap<Long, Map<TopicPartition, Long>> checkpointed = new TreeMap<>();

    CheckpointCommits(InputCommits commits, OffsetCommitter committer, boolean handsOver) {
        this.commits = commits;
        this.committer = committer;
        this.handsOver = handsOver;
    }

    @Override
    public void checkpointTaken(long id, Map<TopicPartition, Long> offsets) {
        checkpointed.put(id, offsets);
    }

    @Override
    public void afterPoll() {
        commitCompleted(false);
    }

    /**
     * When state follows partitions, releasing them has just taken a checkpoint: its offsets
     * are committed before the partitions move. Otherwise nothing new is complete.
     */
    @Override
    public void beforeRevoke(Collection<TopicPartition> revoked) {
        if (handsOver) {
            commitCompleted(true);
        }
    }

    /** The stop's final checkpoint is committed by nobody: a restart resumes from the checkpoint itself. */
    @Override
    public void onStop() {
    }

    /** Commits the offsets of the newest completed checkpoint. */
    private void commitCompleted(boolean synchronously) {
        long completed = commits.completedCheckpoint();
        Map<TopicPartition, Long> offsets = null;
        while (!checkpointed.isEmpty() && checkpointed.firstKey() <= completed) {
            offsets = checkpointed.pollFirstEntry().getValue();
        }
        if (offsets != null) {
            committer.commit(offsets, synchronously);
        }
    }
}
