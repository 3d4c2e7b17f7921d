package io.ringflow.state;

/**
 * Turns values of one type into bytes and back, for state kept outside the heap (RocksDB).
 * Implementations must be thread-safe and deterministic: equal values give equal bytes,
 * because keys are looked up by their bytes. Built-ins and composition are in {@link Serdes}.
 */
public interface Serde<T> {

    byte[] serialize(T value);

    T deserialize(byte[] bytes);

    /** The type this serde handles, named in errors. */
    default String typeName() {
        return getClass().getSimpleName();
    }
}
