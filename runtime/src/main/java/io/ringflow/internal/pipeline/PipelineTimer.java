package io.ringflow.internal.pipeline;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * The pipeline's one timer thread, created only when something needs processing time to pass
 * without records: sources with an idleness timeout (a blocked reader cannot say it is idle),
 * {@code everyInterval} windows (which must emit even when no record arrives) and keyed
 * {@code process} operators (whose processing-time timers must fire then too). Each tick
 * it tells shards about idle readers and wakes every shard with a tick event. It never waits
 * on a full ring: a tick that finds no free slot is skipped, as the shard is busy anyway.
 */
final class PipelineTimer implements Runnable {

    private final long periodNanos;
    private final List<SourceReaderTask> readers;
    private final List<RingPublisher> shards;
    private final RunState runState;
    /** Whether every shard and source thread has ended. */
    private final BooleanSupplier terminated;

    PipelineTimer(long periodMillis, List<SourceReaderTask> readers, List<RingPublisher> shards,
                  RunState runState, BooleanSupplier terminated) {
        this.periodNanos = periodMillis * 1_000_000L;
        this.readers = readers;
        this.shards = shards;
        this.runState = runState;
        this.terminated = terminated;
    }

    @Override
    public void run() {
        while (!runState.isAborted() && !terminated.getAsBoolean()) {
            LockSupport.parkNanos(periodNanos);
            long now = System.currentTimeMillis();
            for (SourceReaderTask reader : readers) {
                reader.checkIdle(now);
            }
            for (RingPublisher shard : shards) {
                shard.tryPublish(RecordEvent.TICK, -1);
            }
        }
    }
}
