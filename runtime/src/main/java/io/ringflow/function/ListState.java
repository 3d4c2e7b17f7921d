package io.ringflow.function;

import java.util.List;

/**
 * A list per key, kept by a keyed {@code process} in a store of its own (RocksDB by default),
 * declared by a {@link ListStateSpec}: the list of the key of the record being processed (or of
 * the timer firing), in the order elements were added. Like Flink's {@code ListState}.
 *
 * <p>Each element is one store entry, numbered by a per-key sequence kept in one more entry;
 * so {@link #add} costs one read and two writes (usually in the write-back cache), whatever the
 * list's length: it never rewrites the list. {@link #get} is one ordered scan of this key's
 * elements. With a {@link Ttl}, each element expires on its own, counted from when it was added.
 *
 * @param <T> the element type
 */
public interface ListState<T> {

    /**
     * The current key's elements in the order they were added (an empty list if none); a copy,
     * read now. Cost: the store's buffered writes are written first (RocksDB), then one seek and
     * one step per element; on the heap backend a scan visits every entry of the store.
     */
    List<T> get();

    /** Appends {@code element} (not {@code null}) to the current key's list. */
    void add(T element);

    /** Appends every element of {@code elements}, in order: one sequence read and write for all. */
    void addAll(List<T> elements);

    /** Replaces the current key's list with {@code elements}: {@link #clear}, then {@link #addAll}. */
    void update(List<T> elements);

    /** Removes the current key's list: one scan, and a delete per element. */
    void clear();
}
