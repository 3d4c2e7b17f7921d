package io.ringflow.function;

/**
 * Receives the outputs of a {@link ProcessFunction}. Each {@code collect} runs the downstream
 * operators of the same stage at once, on the calling thread, before it returns.
 */
public interface Collector<R> {

    /** Emits {@code value} with the timestamp of the record being processed. */
    void collect(R value);

    /** Emits {@code value} with an explicit event timestamp (epoch milliseconds). */
    void collect(R value, long timestamp);
}
