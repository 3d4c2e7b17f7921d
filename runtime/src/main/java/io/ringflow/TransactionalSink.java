package io.ringflow;

/**
 * A sink whose output becomes visible only when a checkpoint completes: exactly-once output.
 *
 * <p>Between two checkpoints the sink writes into an open transaction that readers do not
 * see. When a checkpoint is complete on disk, every shard still paused at its cut, the
 * pipeline calls {@link #commit(long)}: the sink makes everything written since the previous
 * commit visible, atomically with a durable note of the checkpoint's id. After a crash the
 * pipeline asks {@link #recover()} which checkpoint the sink last committed and restores
 * that one (not a newer one whose output never became visible), so state, source positions
 * and output agree: each result is visible exactly once.
 *
 * <p>Cost: output is visible one checkpoint interval late (on average half an interval plus
 * the commit), and every checkpoint's pause grows by one commit. A pipeline with a
 * transactional sink must have checkpointing on.
 *
 * <p>With two or more transactional sinks, a crash between their commits leaves one a
 * checkpoint ahead of the other; the pipeline restores the older checkpoint, so the sink that
 * was ahead writes that checkpoint's results a second time (never loses them).
 */
public interface TransactionalSink<T> extends Sink<T> {

    /**
     * Called once when the pipeline is created, before its state is restored and before
     * {@link #open()}: settles whatever transaction a previous run of this sink left open
     * (fencing that writer off, so a zombie cannot commit later), and returns the id of the
     * newest checkpoint whose output this sink committed, or 0 if it never committed one.
     */
    long recover() throws Exception;

    /**
     * Makes everything written since the previous commit visible, together with a durable
     * record that checkpoint {@code checkpointId} is committed. Called on one thread with no
     * {@link #write} in progress. Throwing fails the pipeline: a restart restores the last
     * checkpoint the sink did commit and writes the lost output again.
     */
    void commit(long checkpointId) throws Exception;
}
