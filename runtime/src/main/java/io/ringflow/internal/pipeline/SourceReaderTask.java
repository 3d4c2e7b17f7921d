package io.ringflow.internal.pipeline;

import io.ringflow.Source;
import io.ringflow.error.ErrorHandler;
import io.ringflow.internal.PipelineAbortedException;
import io.ringflow.internal.checkpoint.CheckpointCoordinator;
import io.ringflow.internal.checkpoint.CheckpointedWatermarks;
import io.ringflow.internal.handoff.PartitionHandoff;
import io.ringflow.internal.graph.SourceNode;
import io.ringflow.internal.metrics.PipelineMetrics;
import io.ringflow.internal.metrics.ShardCounter;
import io.ringflow.state.internal.CheckpointFormat;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;

/**
 * Runs one reader of a source on its own thread, publishing what it emits into the ring
 * buffer of the first-stage shard it feeds, and marking the end of its input when it returns.
 * The source emits through a {@link ReaderContext}; this class owns the thread's life cycle
 * and is what the rest of the pipeline sees of the reader.
 */
final class SourceReaderTask implements Runnable {

    private final SourceNode node;
    private final int reader;
    /** This reader's input index at the shard it feeds. */
    private final int input;
    private final RingPublisher publisher;
    /** The input of the shard this reader runs the chain of, or {@code null} when the shard has a thread. */
    private final ChainedSlots chained;
    private final RunState runState;
    /** Where resources to close after the pipeline's final checkpoint go. */
    private final DeferredCloses deferredCloses;
    private final ReaderEventTime eventTime;
    private final ReaderCheckpoints checkpoints;
    private final ReaderContext context;
    /** The thread running the source, while it does; a stop interrupts only it. */
    private Thread readingThread;

    /**
     * @param chained the input of the shard whose chain this reader runs on its thread, or
     *                {@code null} when the shard it feeds has a ring and a thread
     */
    SourceReaderTask(SourceNode node, int reader, int entry, int input, RingPublisher publisher,
                     ChainedSlots chained, ErrorHandler errorHandler, PipelineMetrics metrics, RunState runState,
                     DeferredCloses deferredCloses) {
        this.node = node;
        this.reader = reader;
        this.input = input;
        this.publisher = publisher;
        this.chained = chained;
        this.runState = runState;
        this.deferredCloses = deferredCloses;
        ShardCounter emitted = metrics.recordsOut(node.name(), reader);
        this.eventTime = new ReaderEventTime(node, reader, errorHandler, metrics);
        this.checkpoints = new ReaderCheckpoints(node.name(), reader, input, publisher, emitted, eventTime,
                watermarksKey());
        this.context = new ReaderContext(node, reader, entry, input, publisher, runState, errorHandler, metrics,
                emitted, eventTime, checkpoints);
    }

    @Override
    public void run() {
        if (chained == null) {
            read();
            return;
        }
        chained.start();
        try {
            read();
        } finally {
            chained.shutdown();
        }
    }

    @SuppressWarnings("unchecked")
    private void read() {
        startReading();
        try {
            ((Source<Object>) node.source()).run(context);
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
        checkpoints.readerEnded();
        if (!runState.isAborted()) {
            // Input that ran out closes every window downstream, as in Flink; a stopped
            // source leaves them open for the next run.
            long last = runState.isStopping() ? eventTime.current() : Long.MAX_VALUE;
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

    /**
     * Interrupts the reader's thread if it is inside the source's {@code run}, and only then; a
     * reader inside the chain it runs gets the interrupt as it returns to its source.
     */
    synchronized void interruptIfReading() {
        if (readingThread == null) {
            return;
        }
        if (chained != null) {
            chained.interrupt(readingThread);
        } else {
            readingThread.interrupt();
        }
    }

    private static boolean isInterruption(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InterruptedException || c instanceof InterruptedIOException
                    || c instanceof ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }

    String sourceName() {
        return node.name();
    }

    int reader() {
        return reader;
    }

    /**
     * Gives the reader checkpoints, the position it recorded in the restored one ({@code null}:
     * none) and the partition handoff ({@code null}: state stays with this instance).
     */
    void checkpoints(CheckpointCoordinator coordinator, byte[] restoredPosition, PartitionHandoff handoff) {
        checkpoints.configure(coordinator, restoredPosition);
        eventTime.partitioned(handoff != null);
        if (handoff != null) {
            context.handover(new ReaderHandover(handoff, node.name(), reader, input, publisher, runState,
                    deferredCloses, checkpoints, eventTime));
        }
    }

    /**
     * With shared checkpoints, each of this reader's partitions' watermark, for a checkpoint to
     * keep beside the position; otherwise {@code null}. Called once the reader has ended.
     */
    byte[] partitionWatermarks() {
        return eventTime.partitionWatermarks();
    }

    /** Where {@link #partitionWatermarks()} goes among a checkpoint's positions. */
    String watermarksKey() {
        return CheckpointedWatermarks.key(node.name(), reader);
    }

    /** The reader's position once it has ended, for the pipeline's final checkpoint {@code id}. */
    byte[] finalPosition(long id) {
        return checkpoints.finalPosition(id);
    }

    String positionKey() {
        return CheckpointFormat.readerKey(node.name(), reader);
    }

    /**
     * Called by the pipeline's timer thread: if this reader has emitted nothing for its
     * idleness timeout, tells its shard it is idle (once, until it emits again).
     */
    void checkIdle(long nowMillis) {
        if (eventTime.shouldAnnounceIdle(nowMillis) && publisher.tryPublish(RecordEvent.IDLE, input)) {
            eventTime.idleAnnounced();
        }
    }
}
