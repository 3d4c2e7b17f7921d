package io.ringflow.function;

/** Keeps a record when it returns {@code true}; used by {@code filter}. Shared by every shard. */
@FunctionalInterface
public interface FilterFunction<T> {
    boolean test(T value) throws Exception;
}
