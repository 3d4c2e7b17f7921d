package io.ringflow;

import java.time.Duration;

/**
 * A source reader's hand into the pipeline. Not thread-safe: use it only from the thread that
 * called {@link Source#run}.
 *
 * <h2>Splits</h2>
 * A reader that reads several independently ordered inputs (Kafka partitions, files) emits
 * each record with the index of its <em>split</em>. Each split gets its own watermark
 * generator and the reader's watermark is the minimum over its splits, so one partition
 * running ahead of another does not make the other's records late. A split that has had no
 * record for the strategy's idleness timeout stops holding the minimum back.
 *
 * <h2>Checkpoints</h2>
 * With checkpointing on, a reader's barrier is placed when it emits or calls
 * {@link #isRunning()}; a reader blocked elsewhere delays the checkpoint. A reader that can
 * resume registers its position with {@link #positionForCheckpoints} and reads it back after a
 * restore with {@link #restoredPosition()}.
 *
 * <h2>Positions written downstream</h2>
 * A source that can re-read input (Kafka, files) and wants to record how far it got only once
 * the results of that input are written uses {@link #markPosition()}: the mark travels behind
 * the records emitted so far through every ring buffer; when every shard has processed it and
 * every sink has {@linkplain Sink#sync() synced}, {@link #writtenMark()} reaches it.
 */
public interface SourceContext<T> {

    /** This reader's index, {@code 0 <= reader < readers}. */
    int reader();

    /** How many readers run the source. */
    int readers();

    /** {@code false} once the pipeline is stopping or has failed: return from {@code run}. */
    boolean isRunning();

    /**
     * Emits a record stamped with the current wall-clock time. Blocks while the ring buffer is
     * full (backpressure). Cost: one ring-buffer slot, no allocation.
     *
     * @throws io.ringflow.RingflowException if the pipeline has failed; let it propagate
     */
    void emit(T value);

    /** Emits a record with an explicit event timestamp, epoch milliseconds, on split 0. */
    void emit(T value, long timestamp);

    /**
     * Emits a record of split {@code split} (a small index {@code >= 0} the source chooses, for
     * example its position in the reader's partition list). Blocks while the ring is full.
     */
    void emit(T value, long timestamp, int split);

    /**
     * Emits the record only if the ring buffer has a free slot now; never blocks. A source
     * that must keep talking to its input while the pipeline is behind (a Kafka consumer
     * must keep polling to stay in its group) pauses its input when this returns false.
     *
     * @return whether the record was emitted
     */
    boolean tryEmit(T value, long timestamp, int split);

    /**
     * Registers split {@code split} before its first record, so an empty split holds the
     * watermark back (until it is idle) rather than being ignored. Emitting registers a split
     * too.
     */
    void addSplit(int split);

    /**
     * Registers split {@code split} whose records' keyed state belongs to state partition
     * {@code partition} (a Kafka partition number). Keyed operators keep each partition's
     * state apart, so it can move to another instance with the partition; records of splits
     * registered without one belong to partition 0.
     */
    void addSplit(int split, int partition);

    /** The split is no longer this reader's (a revoked partition): it stops counting toward the watermark. */
    void removeSplit(int split);

    /**
     * Whether keyed state follows partitions between the instances of the application
     * ({@code PipelineConfig.withSharedCheckpoints}). Then a source whose partitions move (a
     * Kafka consumer group's rebalance) calls {@link #releasePartitions} for each partition it
     * loses and {@link #acquirePartitions} for those it gains, and resumes a gained partition
     * from the position acquire returns rather than from its own committed offsets.
     */
    boolean handsOverPartitions();

    /**
     * The reader no longer reads state partitions {@code partitions}. With {@code checkpointFirst}
     * (a partition revoked in an orderly rebalance), takes a checkpoint whose barrier follows
     * every record emitted so far and waits for it, so the next owner resumes exactly where this
     * reader stopped; then this instance deletes its state of them. Without (a partition lost:
     * another instance may own it already), only deletes. Call from the reader's thread, before
     * committing anything for the partitions; blocks for one checkpoint.
     */
    void releasePartitions(int[] partitions, boolean checkpointFirst);

    /**
     * Closes {@code membership} only once the pipeline has ended and written its final
     * checkpoint, not when the reader returns: with state that follows partitions, a Kafka
     * consumer that stays in its group until then hands its partitions over from that final
     * checkpoint, so their next owner reads nothing twice. Closed on the pipeline's last thread
     * (after a failure too); a failure to close is logged. Costs the group's wait for the
     * drain and the final checkpoint, usually milliseconds.
     */
    void closeAfterFinalCheckpoint(AutoCloseable membership);

    /**
     * The reader now reads state partitions {@code partitions}: finds, among every instance's
     * complete checkpoints, the newest copy of each partition's state (the one whose recorded
     * position of this source got furthest in it, by {@code progress}), has this instance load
     * it before the partition's first record, and returns per partition the position recorded
     * with that copy (by the reader that read the partition then); resume from it. A partition
     * no checkpoint holds is absent from the result and starts with empty state. Call it with
     * an empty array too when a rebalance leaves the reader nothing: the first call also drops
     * restored state of partitions no longer assigned here.
     */
    java.util.Map<Integer, byte[]> acquirePartitions(int[] partitions, PartitionProgress progress);

    /** Reads a source's recorded position, to find the newest copy of each partition's state. */
    @FunctionalInterface
    interface PartitionProgress {
        /**
         * The state partitions {@code position} covers, each with a number that grows as the
         * partition is read (for Kafka, the sum of the partition's offsets over the topics).
         */
        java.util.Map<Integer, Long> of(byte[] position);
    }

    /**
     * Places a mark behind every record emitted so far and returns its id (increasing).
     * Cost: one ring-buffer slot per mark and one sink {@code sync()} per shard, so mark
     * every few hundred milliseconds, not per record.
     */
    long markPosition();

    /**
     * The largest mark id whose preceding records are fully processed and written by every
     * sink, or 0 when none is yet. Cheap (one volatile read).
     */
    long writtenMark();

    /**
     * Waits until mark {@code mark} is written, for at most {@code timeout}.
     *
     * @return whether it was written in time (false also when the pipeline failed)
     */
    boolean awaitWritten(long mark, Duration timeout);

    /**
     * Tells checkpoints how to read this reader's position (an offset, a line number...):
     * {@code position} is called on this thread with the checkpoint's id, between two emits,
     * when the checkpoint's barrier is placed, and must describe exactly the records emitted so
     * far. A reader that registers none restarts from scratch after a restore.
     */
    void positionForCheckpoints(java.util.function.LongFunction<byte[]> position);

    /** Whether the pipeline takes checkpoints: then a source records progress only through them. */
    boolean checkpointing();

    /**
     * The id of the newest checkpoint that is complete on disk (0: none yet). A source that
     * commits its input (Kafka offsets) does so for this checkpoint's positions, and only then.
     * Cheap (one volatile read).
     */
    long completedCheckpoint();

    /**
     * The position this reader recorded in the checkpoint the pipeline restored at start, if
     * any: resume right after it.
     */
    java.util.Optional<byte[]> restoredPosition();

    /**
     * Hands input that could not be turned into a record (for example, bytes that failed to
     * deserialize) to the pipeline's {@link io.ringflow.error.ErrorHandler}, so it is logged,
     * dead-lettered or fails the pipeline, but never silently lost.
     */
    void reportError(Object rawInput, Exception cause);
}
