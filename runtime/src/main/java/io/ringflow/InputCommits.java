package io.ringflow;

import java.time.Duration;

/**
 * For a source that commits how far it has read to the system it reads (Kafka offsets, a
 * queue's acknowledgements): the two moments that is safe. Get it from
 * {@link SourceContext#inputCommits()}; use it only from the reader's thread, as the context.
 *
 * <ul>
 *   <li>Without checkpoints, {@link #markPosition()} places a mark behind the records emitted
 *       so far; it travels through every ring buffer behind them, and when every shard has
 *       processed it and every sink has {@linkplain Sink#sync() synced}, {@link #writtenMark()}
 *       reaches it. Commit the input as of the mark then: at-least-once.</li>
 *   <li>With checkpoints, commit the input as of a checkpoint's position only once
 *       {@link #completedCheckpoint()} reaches it: then a restore and the committed input agree.</li>
 * </ul>
 *
 * <pre>{@code
 * long mark = context.inputCommits().markPosition();
 * offsetsAtMark.put(mark, currentOffsets());
 * // later, between polls:
 * commit(offsetsAtMark.headMap(context.inputCommits().writtenMark(), true));
 * }</pre>
 */
public interface InputCommits {

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
     * Waits until mark {@code mark} is written, for at most {@code timeout}. Blocks the reader
     * (it emits nothing meanwhile); meant for a last commit before input moves away.
     *
     * @return whether it was written in time (false also when the pipeline failed)
     */
    boolean awaitWritten(long mark, Duration timeout);

    /**
     * The id of the newest checkpoint that is complete on disk (0: none yet, or checkpoints
     * are off). A source that commits its input does so for this checkpoint's positions, and
     * only then. Cheap (one volatile read).
     */
    long completedCheckpoint();
}
