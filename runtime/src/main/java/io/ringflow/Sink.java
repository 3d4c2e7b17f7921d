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

    /**
     * Called once when the pipeline starts, before any record is written: the place to connect
     * and to check the destination exists. Throwing stops the start:
     * {@code Pipeline.start()} throws {@link io.ringflow.PipelineFailedException} with the
     * sink's message and nothing runs. Default: nothing.
     */
    default void open() throws Exception {
    }

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
     * Blocks until everything written so far has reached its destination durably (for Kafka:
     * acknowledged by the broker). Called before a source may record its input position as
     * done, so a record whose result was not delivered is read again after a restart
     * (at-least-once). Called far less often than {@link #flush}; default: {@link #flush}.
     * Records that could not be delivered are reported by throwing
     * {@link io.ringflow.error.UndeliveredRecordsException}.
     */
    default void sync() throws Exception {
        flush();
    }

    /**
     * Called once when the pipeline ends, after every shard's last flush (also when it
     * failed). Throwing here fails the pipeline: unwritten output is never dropped silently.
     * Default: nothing.
     */
    default void close() throws Exception {
    }
}
