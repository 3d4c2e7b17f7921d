package io.ringflow;

/**
 * Where records leave a topology. A connector implements it.
 *
 * <p>{@link #write} is called on the consumer thread of each shard of the stage the sink
 * ends; with parallelism &gt; 1, from several threads at once, so implementations must be
 * thread-safe. A write that blocks slows the whole pipeline up to the source
 * (backpressure). A write that throws goes to the pipeline's error handler.
 */
@FunctionalInterface
public interface Sink<T> {

    /** Writes one record. */
    void write(T value, long timestamp) throws Exception;

    /**
     * Called at the end of each ring-buffer batch of the shard, after the batch's writes:
     * the place to flush buffered output. Ringflow never waits to fill a batch, so a sink
     * that flushes here adds no latency. Default: nothing.
     */
    default void flush() throws Exception {
    }

    /**
     * Called once when the pipeline ends, after every shard's last flush (also when it
     * failed). Throwing here fails the pipeline: unwritten output is never dropped silently.
     * Default: nothing.
     */
    default void close() throws Exception {
    }
}
