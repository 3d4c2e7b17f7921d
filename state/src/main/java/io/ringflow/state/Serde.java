package io.ringflow.state;

/**
 * Turns values of one type into bytes and back, for state kept outside the heap (RocksDB).
 * Implementations must be thread-safe and deterministic: equal values give equal bytes,
 * because keys are looked up by their bytes. Built-ins and composition are in {@link Serdes}.
 */
public interface Serde<T> {

    byte[] serialize(T value);

    T deserialize(byte[] bytes);

    /**
     * Fails at once, with the error {@link #serialize} would give, for a value this serde can
     * never write, so a store with a write-back cache refuses it when it is put, not when the
     * cache is written out later (at a checkpoint, on close). Default: accepts everything.
     * Called on every put: keep it to a type check.
     */
    default void check(T value) {
    }

    /** The type this serde handles, named in errors. */
    default String typeName() {
        return getClass().getSimpleName();
    }
}
