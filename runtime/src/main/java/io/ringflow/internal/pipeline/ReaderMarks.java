package io.ringflow.internal.pipeline;

import io.ringflow.InputCommits;
import io.ringflow.internal.PipelineAbortedException;
import io.ringflow.internal.operator.PositionMark;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A source reader's position marks: the reader places them ({@link #markPosition()}), the
 * shard that releases a mark last reports it written ({@link #written}); with the newest
 * completed checkpoint they tell the source when it may commit its input.
 */
final class ReaderMarks implements InputCommits, PositionMark.Owner {

    private final int input;
    private final RingPublisher publisher;
    private final RunState runState;
    private final ReaderCheckpoints checkpoints;
    private long lastMark;
    /** The largest mark every shard has processed; written by shard threads. */
    private volatile long writtenMark;

    ReaderMarks(int input, RingPublisher publisher, RunState runState, ReaderCheckpoints checkpoints) {
        this.input = input;
        this.publisher = publisher;
        this.runState = runState;
        this.checkpoints = checkpoints;
    }

    @Override
    public long markPosition() {
        if (runState.isAborted()) {
            throw new PipelineAbortedException();
        }
        PositionMark mark = new PositionMark(this, ++lastMark);
        publisher.publishMark(input, mark);
        return mark.id();
    }

    /** On a shard thread: mark {@code mark} and every record before it are written. */
    @Override
    public void written(long mark) {
        synchronized (this) {
            if (mark > writtenMark) {
                writtenMark = mark;
            }
        }
    }

    @Override
    public long writtenMark() {
        return writtenMark;
    }

    @Override
    public boolean awaitWritten(long mark, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (writtenMark < mark) {
            if (runState.isAborted() || System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(200_000L);
        }
        return true;
    }

    @Override
    public long completedCheckpoint() {
        return checkpoints.completed();
    }
}
