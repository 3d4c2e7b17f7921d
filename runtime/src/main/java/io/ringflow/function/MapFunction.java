package io.ringflow.function;

/**
 * Turns one value into another; used by {@code map}. Called once per record on the shard's
 * consumer thread, and shared by every shard, so it must not keep mutable fields.
 */
@FunctionalInterface
public interface MapFunction<T, R> {
    R apply(T value) throws Exception;
}
