package io.ringflow.function;

/**
 * Extracts the key that decides which shard owns a record; used by {@code keyBy}. The key
 * must not be {@code null} and must implement {@code equals} and {@code hashCode}
 * consistently (records are routed by {@code hashCode}).
 */
@FunctionalInterface
public interface KeySelector<T, K> {
    K getKey(T value) throws Exception;
}
