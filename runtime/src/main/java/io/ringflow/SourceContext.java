package io.ringflow;

/**
 * A source reader's hand into the pipeline. Not thread-safe: use it only from the thread that
 * called {@link Source#run}.
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

    /** Emits a record with an explicit event timestamp, epoch milliseconds. */
    void emit(T value, long timestamp);

    /**
     * Hands input that could not be turned into a record (for example, bytes that failed to
     * deserialize) to the pipeline's {@link io.ringflow.error.ErrorHandler}, so it is logged,
     * dead-lettered or fails the pipeline, but never silently lost.
     */
    void reportError(Object rawInput, Exception cause);
}
