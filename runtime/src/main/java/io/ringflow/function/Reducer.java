package io.ringflow.function;

/** Combines the running result of a key with a new value of the same type; used by {@code reduce}. */
@FunctionalInterface
public interface Reducer<V> {
    V apply(V aggregate, V value) throws Exception;
}
