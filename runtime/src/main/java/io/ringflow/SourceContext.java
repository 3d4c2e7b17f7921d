package io.ringflow;

import io.ringflow.error.ErrorHandler;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * A source reader's hand into the pipeline: what every source needs to emit records, keep
 * per-split event time and resume after a restore. Not thread-safe: use it only from the
 * thread that called {@link Source#run}.
 *
 * <pre>{@code
 * final class Numbers implements Source<Long> {
 *     private long next;
 *
 *     public void run(SourceContext<Long> context) {
 *         next = context.restoredPosition().map(bytes -> ByteBuffer.wrap(bytes).getLong()).orElse(0L);
 *         context.positionForCheckpoints(id -> ByteBuffer.allocate(8).putLong(next).array());
 *         while (context.isRunning()) {
 *             context.emit(next++);
 *         }
 *     }
 * }
 * }</pre>
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
 * <h2>Capabilities a few sources ask for</h2>
 * A source that commits its input to the system it reads (Kafka offsets) learns when that is
 * safe from {@link #inputCommits()}. A partitioned source whose keyed state moves with its
 * partitions between the application's instances gets {@link #partitionHandover()}. A source
 * that needs neither never calls them.
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
     * @throws RingflowException if the pipeline has failed; let it propagate
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
     * Emits the record only if the ring buffer has a free slot now. A source that must keep
     * talking to its input while the pipeline is behind (a Kafka consumer must keep polling to
     * stay in its group) pauses its input when this returns false.
     *
     * <p>When the reader runs its shard's chain on its own thread
     * ({@link PipelineConfig#withSourceChaining}), the record goes through that chain before
     * this returns, and it is refused while any ring the chain feeds (the next stage's) is full.
     * It waits only when one record fans out into more records than those rings have free slots.
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

    /** The split is no longer this reader's (a revoked partition): it stops counting toward the watermark. */
    void removeSplit(int split);

    /** Whether the pipeline takes checkpoints: then a source records progress only through them. */
    boolean checkpointing();

    /**
     * Tells checkpoints how to read this reader's position (an offset, a line number...):
     * {@code position} is called on this thread with the checkpoint's id, between two emits,
     * when the checkpoint's barrier is placed, and must describe exactly the records emitted so
     * far. A reader that registers none restarts from scratch after a restore.
     */
    void positionForCheckpoints(LongFunction<byte[]> position);

    /**
     * The position this reader recorded in the checkpoint the pipeline restored at start, if
     * any: resume right after it.
     */
    Optional<byte[]> restoredPosition();

    /**
     * Hands input that could not be turned into a record (for example, bytes that failed to
     * deserialize) to the pipeline's {@link ErrorHandler}, so it is logged, dead-lettered or
     * fails the pipeline, but never silently lost.
     */
    void reportError(Object rawInput, Exception cause);

    /**
     * When this reader may commit its input to the system it reads: position marks written
     * downstream, and completed checkpoints. Always available; costs nothing until used.
     */
    InputCommits inputCommits();

    /**
     * Present only when keyed state follows partitions between the instances of the
     * application ({@code PipelineConfig.withSharedCheckpoints}): then a source whose
     * partitions move (a Kafka consumer group's rebalance) must report each move through it.
     * Empty otherwise, and state stays with this instance.
     */
    Optional<PartitionHandover> partitionHandover();
}
