package io.ringflow.function;

/**
 * One value per key, kept by a keyed {@code process} operator in its state store (RocksDB by
 * default): the value of the key of the record being processed. Like Flink's
 * {@code ValueState}. Cost: a state-store read for {@link #value()} and a write for
 * {@link #update}, usually served by the store's write-back cache.
 */
public interface ValueState<S> {

    /** The current key's value, or {@code null} if it has none. */
    S value();

    /** Replaces the current key's value; {@code null} clears it. */
    void update(S value);

    /** Removes the current key's value. */
    void clear();
}
