package io.ringflow.function;

/** Looks at a record without changing it; used by {@code peek}. Shared by every shard. */
@FunctionalInterface
public interface PeekAction<T> {
    void accept(T value) throws Exception;
}
