package io.ringflow.state;

/**
 * A keyed state store owned by exactly one shard of one keyed operator.
 *
 * <p>Ringflow routes every key to one shard, and one shard is driven by one thread, so a
 * store is never touched concurrently and implementations take no locks. Iteration order is
 * the unsigned byte order of the serialized keys, in every implementation, because that is
 * the order RocksDB keeps; for {@code Long} and {@code Integer} keys that is numeric order of
 * non-negative numbers, for {@code String} keys it is UTF-8 byte order.
 *
 * @param <K> key type; must implement {@code equals} and {@code hashCode} consistently
 * @param <V> value type
 */
public interface KeyValueStore<K, V> extends AutoCloseable {

    /** The store's name, unique within a topology; it names the store in errors and metrics. */
    String name();

    /** The value stored for {@code key}, or {@code null} if there is none. */
    V get(K key);

    /** Stores {@code value} for {@code key}, replacing any previous value. A {@code null} value deletes. */
    void put(K key, V value);

    /**
     * Stores {@code value} only if {@code key} has no value yet.
     *
     * @return the value already present, or {@code null} if {@code value} was stored
     */
    default V putIfAbsent(K key, V value) {
        V existing = get(key);
        if (existing == null) {
            put(key, value);
        }
        return existing;
    }

    /**
     * Removes the value for {@code key}.
     *
     * @return the value that was removed, or {@code null} if there was none
     */
    default V delete(K key) {
        V existing = get(key);
        if (existing != null) {
            put(key, null);
        }
        return existing;
    }

    /**
     * Entries with {@code from <= key < to} in key order. Cost: a store that buffers writes
     * flushes them first; then one seek and one step per entry.
     */
    KeyValueIterator<K, V> range(K from, K to);

    /**
     * Entries whose serialized key starts with the serialized {@code prefix}, in key order:
     * for String keys, the keys that start with the prefix string.
     */
    KeyValueIterator<K, V> prefixScan(K prefix);

    /** Every entry, in key order. */
    KeyValueIterator<K, V> all();

    /** Number of keys held; exact for in-memory stores, an estimate for RocksDB. */
    long approximateNumEntries();

    /**
     * Like {@link #approximateNumEntries()}, but never writes anything to answer (a write-back
     * cache counts without flushing), so it is cheap enough for a metrics gauge. Less exact.
     */
    default long estimatedEntries() {
        return approximateNumEntries();
    }

    /**
     * Called by the runtime at the end of every ring-buffer batch, between records: a store
     * that buffers writes may write some or all of them through here, so that it never has to
     * stop in the middle of a batch. Default: nothing.
     */
    default void endOfBatch() {
    }

    /**
     * Writes every buffered change through to the underlying storage, now. The runtime calls it
     * before a checkpoint and on close; range scans call it themselves. Default: nothing.
     */
    default void flush() {
    }

    /** Flushes and releases the store's resources; using it afterwards fails. */
    @Override
    void close();
}
