package io.ringflow.function;

/**
 * Folds a new value into the running aggregate of its key; used by {@code aggregate}.
 * Return a new aggregate or the same, updated, instance.
 */
@FunctionalInterface
public interface Aggregator<K, V, A> {
    A apply(K key, V value, A aggregate) throws Exception;
}
