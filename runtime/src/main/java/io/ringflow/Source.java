package io.ringflow;

/**
 * Where records enter a topology. A connector implements it; Ringflow calls {@link #run}
 * once per reader, each on its own thread, and the reader emits records through its
 * {@link SourceContext} until its input ends or {@link SourceContext#isRunning()} turns
 * false.
 *
 * <p>Records emitted by one reader keep their order all the way to every keyed operator
 * (per key). Each reader feeds one shard of the first stage, so a source with more readers
 * than the pipeline's parallelism spreads readers over shards, and one with fewer leaves
 * shards idle.
 *
 * <p>{@link SourceContext#emit} blocks while the first stage's ring buffer is full: that is
 * how a slow sink slows the source, and why nothing is ever dropped. A source that blocks
 * on I/O should also return when its thread is interrupted; {@code Pipeline.stop()}
 * interrupts it.
 */
@FunctionalInterface
public interface Source<T> {

    /**
     * Reads input and emits it until the input ends (a bounded source) or the context says
     * to stop. Returning ends this reader's input; once every reader has returned and the
     * pipeline has drained, the pipeline completes. Throwing fails the pipeline.
     */
    void run(SourceContext<T> context) throws Exception;

    /** How many readers run this source in parallel; each gets its index from the context. */
    default int readers() {
        return 1;
    }

    /**
     * Whether the source can read its input again from a position it recorded (Kafka, files,
     * a collection): then, with checkpointing on, it registers its position with
     * {@link SourceContext#positionForCheckpoints} and resumes from
     * {@link SourceContext#restoredPosition()}, and restored state counts each record once. A
     * source that cannot (a socket: what it sent is gone) returns {@code false}, and a pipeline
     * with checkpointing refuses it at construction, as Spark asks for replayable sources:
     * after a restore its state would miss the records read since the checkpoint. Default
     * {@code true}; a replayable source that registers no position is re-read from its start
     * after a restore, which counts its records twice, and the pipeline warns of it at its
     * first checkpoint.
     */
    default boolean replayable() {
        return true;
    }
}
