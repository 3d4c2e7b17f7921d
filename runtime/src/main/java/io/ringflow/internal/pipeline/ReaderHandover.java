package io.ringflow.internal.pipeline;

import io.ringflow.PartitionHandover;
import io.ringflow.internal.PipelineAbortedException;
import io.ringflow.internal.handoff.PartitionHandoff;
import java.util.Map;

/**
 * A source reader's {@link PartitionHandover}: asks the instance's {@link PartitionHandoff}
 * which state partitions to drop or load as the reader's partitions move, and sends each
 * change down the reader's ring, in order with its records. Exists only with shared
 * checkpoints; used on the reader's thread.
 */
final class ReaderHandover implements PartitionHandover {

    private final PartitionHandoff handoff;
    private final String source;
    private final int reader;
    private final int input;
    private final RingPublisher publisher;
    private final RunState runState;
    private final DeferredCloses deferredCloses;
    private final ReaderCheckpoints checkpoints;
    private final ReaderEventTime eventTime;

    ReaderHandover(PartitionHandoff handoff, String source, int reader, int input, RingPublisher publisher,
                   RunState runState, DeferredCloses deferredCloses, ReaderCheckpoints checkpoints,
                   ReaderEventTime eventTime) {
        this.handoff = handoff;
        this.source = source;
        this.reader = reader;
        this.input = input;
        this.publisher = publisher;
        this.runState = runState;
        this.deferredCloses = deferredCloses;
        this.checkpoints = checkpoints;
        this.eventTime = eventTime;
    }

    @Override
    public void addSplit(int split, int partition) {
        eventTime.addSplit(split, partition);
    }

    @Override
    public void releasePartitions(int[] partitions, boolean checkpointFirst) {
        checkAlive();
        if (!runState.sourcesRunning()) {
            return; // a stopping pipeline keeps its state for the restart; its final checkpoint holds it
        }
        if (checkpointFirst) {
            checkpoints.checkpointBehindEverythingEmitted();
        }
        publisher.publishPartitions(input, handoff.release(partitions));
    }

    @Override
    public Map<Integer, byte[]> acquirePartitions(int[] partitions, PartitionProgress progress) {
        checkAlive();
        PartitionHandoff.Acquired acquired = handoff.acquire(source, partitions, progress);
        if (acquired.change() != null) {
            publisher.publishPartitions(input, acquired.change());
        }
        return acquired.positions();
    }

    @Override
    public void closeAfterFinalCheckpoint(AutoCloseable membership) {
        deferredCloses.add(membership, "source '" + source + "' reader " + reader);
    }

    private void checkAlive() {
        if (runState.isAborted()) {
            throw new PipelineAbortedException();
        }
    }
}
