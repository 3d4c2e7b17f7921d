package io.ringflow.function;

/**
 * Turns one value into zero or more values; used by {@code flatMap}. The returned iterable
 * is consumed at once, in order. Returning {@code null} emits nothing. Shared by every shard.
 */
@FunctionalInterface
public interface FlatMapFunction<T, R> {
    Iterable<? extends R> apply(T value) throws Exception;
}
