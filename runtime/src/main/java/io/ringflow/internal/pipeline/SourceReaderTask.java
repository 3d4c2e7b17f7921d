package io.ringflow.internal.pipeline;

import io.ringflow.SourceContext;
import io.ringflow.error.ErrorHandler;
import io.ringflow.error.FailedRecord;
import io.ringflow.error.RecordProcessingException;
import io.ringflow.internal.PipelineAbortedException;
import io.ringflow.internal.graph.SourceNode;
import io.ringflow.internal.checkpoint.CheckpointCoordinator;
import io.ringflow.internal.checkpoint.PendingCheckpoint;
import io.ringflow.internal.metrics.PipelineMetrics;
import io.ringflow.internal.metrics.ShardCounter;
import io.ringflow.internal.operator.EventTimes;
import io.ringflow.internal.operator.OperatorContext;
import io.ringflow.internal.operator.PositionMark;
import io.ringflow.state.internal.CheckpointFormat;
import io.ringflow.watermark.SplitWatermarks;
import io.ringflow.watermark.WatermarkStrategy;
import io.ringflow.watermark.Watermarks;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one reader of a source on its own thread, publishing what it emits into the ring
 * buffer of the first-stage shard it feeds, and marking the end of its input when it returns.
 */
final class SourceReaderTask implements Runnable, SourceContext<Object>, PositionMark.Owner {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SourceReaderTask.class);
    private static final Duration HANDOFF_CHECKPOINT_TIMEOUT = Duration.ofSeconds(60);

    private final SourceNode node;
    private final int reader;
    private final int entry;
    /** This reader's input index at the shard it feeds. */
    private final int input;
    private final RingPublisher publisher;
    /** Event time of this reader's records; {@code null} when the source has no watermark strategy. */
    private final WatermarkStrategy<Object> watermarks;
    /** One watermark generator per split; {@code null} when the source has no watermark strategy. */
    private final SplitWatermarks splits;
    private final boolean tracksIdleness;
    /** Assigns event time, routing records it cannot to the error handler; {@code null} without a watermark strategy. */
    private final EventTimes eventTimes;
    /** The event time {@link #observe} gave the record being emitted. */
    private long observedTime;
    /** Wall-clock time of the last emit, read by the pipeline's timer to find idle readers. */
    private volatile long lastEmitMillis = System.currentTimeMillis();
    /** Whether the timer has told the shard this reader is idle; the next emit undoes it. */
    private volatile boolean idleAnnounced;
    private final ErrorHandler errorHandler;
    private final RunState runState;
    /** Where resources to close after the pipeline's final checkpoint go. */
    private final DeferredCloses deferredCloses;
    private final PipelineMetrics metrics;
    /** The thread running the source, while it does; a stop interrupts only it. */
    private Thread readingThread;
    /** Records this reader emitted: its {@code ringflow.records.out}, tagged with the reader as shard. */
    private final ShardCounter emitted;
    private long lastMark;
    /** Checkpoints, or {@code null} when they are off. */
    private CheckpointCoordinator checkpoints;
    private java.util.function.LongFunction<byte[]> position;
    private byte[] restored;
    private boolean warnedNoPosition;
    /** The id of the last checkpoint barrier this reader placed. */
    private long barrierPlaced;
    /** Moves keyed state partitions between instances, or {@code null} when state stays put. */
    private io.ringflow.internal.checkpoint.PartitionHandoff handoff;
    /** The state partition of each split's records (0 for splits registered without one). */
    private int[] splitPartitions = new int[0];
    /** The largest mark every shard has processed; written by shard threads. */
    private volatile long writtenMark;

    SourceReaderTask(SourceNode node, int reader, int entry, int input, RingPublisher publisher,
                     ErrorHandler errorHandler, PipelineMetrics metrics, RunState runState,
                     DeferredCloses deferredCloses) {
        this.metrics = metrics;
        this.emitted = metrics.recordsOut(node.name(), reader);
        this.node = node;
        this.reader = reader;
        this.entry = entry;
        this.input = input;
        this.publisher = publisher;
        this.watermarks = node.watermarks();
        this.splits = watermarks == null ? null : new SplitWatermarks(watermarks);
        this.eventTimes = watermarks == null ? null
                : new EventTimes(watermarks, node.name(), reader, errorHandler, metrics);
        this.tracksIdleness = watermarks != null && watermarks.idlenessMillis() > 0;
        this.errorHandler = errorHandler;
        this.runState = runState;
        this.deferredCloses = deferredCloses;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void run() {
        startReading();
        try {
            ((io.ringflow.Source<Object>) node.source()).run(this);
        } catch (PipelineAbortedException aborted) {
            return;
        } catch (Throwable t) {
            if (!(runState.isStopping() && isInterruption(t))) {
                runState.fail(t, "source '" + node.name() + "' reader " + reader);
                return;
            }
        } finally {
            endReading();
        }
        if (checkpoints != null) {
            checkpoints.abort("source '" + node.name() + "' reader " + reader + " ended");
        }
        if (!runState.isAborted()) {
            // Input that ran out closes every window downstream, as in Flink; a stopped
            // source leaves them open for the next run.
            long last = runState.isStopping() ? currentWatermark() : Long.MAX_VALUE;
            try {
                publisher.publishEndOfInput(input, last);
            } catch (PipelineAbortedException aborted) {
                // the pipeline failed while this reader was ending; nothing left to tell
            }
        }
    }

    private synchronized void startReading() {
        readingThread = Thread.currentThread();
    }

    /**
     * From here on this thread is no longer the source's, and a stop must not interrupt it: it
     * may be the pipeline's last thread, which writes the final checkpoint and closes the sinks
     * (a Kafka producer closed by an interrupted thread fails with InterruptException). A stop's
     * interrupt that already arrived is cleared.
     */
    private synchronized void endReading() {
        readingThread = null;
        Thread.interrupted();
    }

    /** Interrupts the reader's thread if it is inside the source's {@code run}, and only then. */
    synchronized void interruptIfReading() {
        if (readingThread != null) {
            readingThread.interrupt();
        }
    }

    private static boolean isInterruption(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InterruptedException || c instanceof java.io.InterruptedIOException
                    || c instanceof java.nio.channels.ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }

    String sourceName() {
        return node.name();
    }

    @Override
    public int reader() {
        return reader;
    }

    @Override
    public int readers() {
        return node.source().readers();
    }

    @Override
    public boolean isRunning() {
        checkpointSafePoint();
        return runState.sourcesRunning();
    }

    /**
     * Gives the reader checkpoints, the position it recorded in the restored one ({@code null}:
     * none) and the partition handoff ({@code null}: state stays with this instance).
     */
    void checkpoints(CheckpointCoordinator coordinator, byte[] restoredPosition,
                     io.ringflow.internal.checkpoint.PartitionHandoff handoff) {
        this.checkpoints = coordinator;
        this.restored = restoredPosition;
        this.handoff = handoff;
        if (coordinator != null) {
            this.barrierPlaced = coordinator.requested();
        }
    }

    /** Between two emits: the place to put a requested checkpoint's barrier behind what was emitted. */
    private void checkpointSafePoint() {
        if (checkpoints != null && checkpoints.requested() > barrierPlaced) {
            placeBarrier();
        }
    }

    private void placeBarrier() {
        barrierPlaced = checkpoints.requested();
        PendingCheckpoint checkpoint = checkpoints.pending(barrierPlaced);
        if (checkpoint != null) {
            if (position == null && !warnedNoPosition && emitted.get() > 0) {
                warnedNoPosition = true;
                LOG.warn("source '{}' reader {} records no position in checkpoints: after a restore it reads its input"
                        + " from the start again, and restored state counts those records twice. Register one with"
                        + " SourceContext.positionForCheckpoints, or return false from Source.replayable()",
                        node.name(), reader);
            }
            checkpoint.position(node.name(), reader, position == null ? new byte[0] : position.apply(barrierPlaced));
            byte[] watermarks = partitionWatermarks();
            if (watermarks != null) {
                checkpoint.position(watermarksKey(), watermarks);
            }
            publisher.publishBarrier(input, checkpoint);
        }
    }

    /**
     * With shared checkpoints, each of this reader's partitions' watermark, for a checkpoint to
     * keep beside the position; otherwise {@code null}. Called on the reader's thread, or once it
     * has ended.
     */
    byte[] partitionWatermarks() {
        if (handoff == null || splits == null) {
            return null;
        }
        int[] partitions = new int[splitPartitions.length];
        long[] watermarks = new long[splitPartitions.length];
        int count = 0;
        for (int split = 0; split < splitPartitions.length; split++) {
            long watermark = splits.of(split);
            if (watermark != Watermarks.NONE) {
                partitions[count] = splitPartitions[split];
                watermarks[count++] = watermark;
            }
        }
        return io.ringflow.internal.checkpoint.CheckpointedWatermarks.encode(partitions, watermarks, count);
    }

    /** Where {@link #partitionWatermarks()} goes among a checkpoint's positions. */
    String watermarksKey() {
        return io.ringflow.internal.checkpoint.CheckpointedWatermarks.key(node.name(), reader);
    }

    /** The reader's position once it has ended, for the pipeline's final checkpoint {@code id}. */
    byte[] finalPosition(long id) {
        return position == null ? new byte[0] : position.apply(id);
    }

    String positionKey() {
        return CheckpointFormat.readerKey(node.name(), reader);
    }

    @Override
    public void positionForCheckpoints(java.util.function.LongFunction<byte[]> position) {
        this.position = position;
    }

    @Override
    public boolean checkpointing() {
        return checkpoints != null;
    }

    @Override
    public long completedCheckpoint() {
        return checkpoints == null ? 0 : checkpoints.completed();
    }

    @Override
    public java.util.Optional<byte[]> restoredPosition() {
        return java.util.Optional.ofNullable(restored);
    }

    @Override
    public void emit(Object value) {
        emit(value, System.currentTimeMillis());
    }

    @Override
    public void emit(Object value, long timestamp) {
        emit(value, timestamp, 0);
    }

    @Override
    public void emit(Object value, long timestamp, int split) {
        checkAlive();
        checkpointSafePoint();
        if (!observe(value, timestamp, split)) {
            return; // the error handler has it
        }
        long eventTime = observedTime;
        long watermark = currentWatermark();
        publisher.publishRecord(entry, input, null, value, eventTime, System.nanoTime(), watermark, watermark,
                partitionOf(split), splitWatermark(split));
        emitted.increment();
    }

    /** The record's partition's own watermark, which only partitioned event time (shared checkpoints) reads. */
    private long splitWatermark(int split) {
        return handoff == null || splits == null ? Watermarks.NONE : splits.of(split);
    }

    private int partitionOf(int split) {
        return split < splitPartitions.length ? splitPartitions[split] : 0;
    }

    @Override
    public boolean tryEmit(Object value, long timestamp, int split) {
        checkAlive();
        checkpointSafePoint();
        if (publisher.remainingCapacity() == 0) {
            return false; // judged before the watermark moves, so a refused record changes nothing
        }
        if (!observe(value, timestamp, split)) {
            return true; // taken by the error handler: the source moves past it
        }
        long eventTime = observedTime;
        // This reader is the ring's only publisher of records, so the slot seen free is still free
        // unless the timer took it for a tick; then the record waits for one slot, as emit would.
        int partition = partitionOf(split);
        long partitionWatermark = splitWatermark(split);
        long watermark = currentWatermark();
        if (!publisher.tryPublishRecord(entry, input, value, eventTime, System.nanoTime(), watermark, watermark,
                partition, partitionWatermark)) {
            publisher.publishRecord(entry, input, null, value, eventTime, System.nanoTime(), watermark, watermark,
                    partition, partitionWatermark);
        }
        emitted.increment();
        return true;
    }

    private void checkAlive() {
        if (runState.isAborted()) {
            throw new PipelineAbortedException();
        }
    }

    /**
     * Gives the record its event time ({@link #observedTime}) and advances the split's watermark
     * with it; or, when the timestamp extractor throws or the strategy refuses the time, hands
     * the record to the error handler and returns {@code false}.
     */
    private boolean observe(Object value, long timestamp, int split) {
        if (splits == null) {
            observedTime = timestamp;
            return true;
        }
        long now = tracksIdleness || eventTimes.guarded() ? System.currentTimeMillis() : 0L;
        try {
            if (!eventTimes.assign(value, timestamp, now)) {
                return false;
            }
        } catch (RecordProcessingException failure) {
            // Fail now, not when the source rethrows: a source may catch and carry on.
            runState.fail(failure, "source '" + node.name() + "' reader " + reader);
            throw new PipelineAbortedException();
        }
        long eventTime = eventTimes.eventTime();
        observedTime = eventTime;
        if (!tracksIdleness) {
            now = 0L;
        } else {
            lastEmitMillis = now;
            if (idleAnnounced) {
                idleAnnounced = false; // this record makes the input active again at the shard
            }
        }
        splits.onRecord(split, eventTime, now);
        return true;
    }

    @Override
    public void addSplit(int split) {
        if (splits != null) {
            splits.add(split, System.currentTimeMillis());
        }
    }

    @Override
    public void addSplit(int split, int partition) {
        if (partition < 0) {
            throw new IllegalArgumentException("a state partition is >= 0, got " + partition);
        }
        if (split >= splitPartitions.length) {
            splitPartitions = java.util.Arrays.copyOf(splitPartitions, Math.max(split + 1, splitPartitions.length * 2));
        }
        splitPartitions[split] = partition;
        addSplit(split);
    }

    @Override
    public boolean handsOverPartitions() {
        return handoff != null;
    }

    @Override
    public void releasePartitions(int[] partitions, boolean checkpointFirst) {
        checkAlive();
        if (handoff == null || !runState.sourcesRunning()) {
            return; // a stopping pipeline keeps its state for the restart; its final checkpoint holds it
        }
        if (checkpointFirst) {
            checkpointBehindEverythingEmitted();
        }
        publisher.publishPartitions(input, handoff.release(partitions));
    }

    @Override
    public void closeAfterFinalCheckpoint(AutoCloseable membership) {
        deferredCloses.add(membership, "source '" + node.name() + "' reader " + reader);
    }

    @Override
    public java.util.Map<Integer, byte[]> acquirePartitions(int[] partitions, PartitionProgress progress) {
        checkAlive();
        if (handoff == null) {
            return java.util.Map.of();
        }
        io.ringflow.internal.checkpoint.PartitionHandoff.Acquired acquired =
                handoff.acquire(node.name(), partitions, progress);
        if (acquired.change() != null) {
            publisher.publishPartitions(input, acquired.change());
        }
        return acquired.positions();
    }

    /**
     * Takes a checkpoint whose barrier this reader places now, behind every record it emitted,
     * and waits for it. One already in flight whose barrier this reader placed earlier is
     * waited out first. A checkpoint that fails is logged: the partitions' next owner then
     * resumes from an older one, which is consistent too, only further back.
     */
    private void checkpointBehindEverythingEmitted() {
        for (int attempt = 0; attempt < 3; attempt++) {
            long id = checkpoints.trigger();
            boolean placedNow = id > barrierPlaced;
            if (placedNow) {
                placeBarrier();
            }
            try {
                checkpoints.await(id, HANDOFF_CHECKPOINT_TIMEOUT);
                if (placedNow) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PipelineAbortedException();
            } catch (io.ringflow.RingflowException e) {
                if (placedNow) {
                    checkpoints.abort("it took longer than " + HANDOFF_CHECKPOINT_TIMEOUT);
                    LOG.warn("source '{}' reader {}: no checkpoint before handing partitions over ({}); their next"
                            + " owner resumes from an earlier one", node.name(), reader, e.getMessage());
                    return;
                }
            }
        }
    }

    @Override
    public void removeSplit(int split) {
        if (splits != null) {
            splits.remove(split);
        }
    }

    @Override
    public long markPosition() {
        checkAlive();
        PositionMark mark = new PositionMark(this, ++lastMark);
        publisher.publishMark(input, mark);
        return mark.id();
    }

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

    /**
     * Called by the pipeline's timer thread: if this reader has emitted nothing for its
     * idleness timeout, tells its shard it is idle (once, until it emits again).
     */
    void checkIdle(long nowMillis) {
        if (tracksIdleness && !idleAnnounced && nowMillis - lastEmitMillis >= watermarks.idlenessMillis()) {
            if (publisher.tryPublish(RecordEvent.IDLE, input)) {
                idleAnnounced = true;
            }
        }
    }

    boolean tracksIdleness() {
        return tracksIdleness;
    }

    long idlenessMillis() {
        return tracksIdleness ? watermarks.idlenessMillis() : 0;
    }

    private long currentWatermark() {
        return splits == null ? Watermarks.NONE : splits.current();
    }

    @Override
    public void reportError(Object rawInput, Exception cause) {
        try {
            OperatorContext.handleFailure(errorHandler, metrics, new FailedRecord(node.name(), "source", reader, null,
                    rawInput, System.currentTimeMillis(), cause));
        } catch (RecordProcessingException failure) {
            // Fail now, not when the source rethrows: a source may catch and carry on.
            runState.fail(failure, "source '" + node.name() + "' reader " + reader);
            throw new PipelineAbortedException();
        }
    }
}
