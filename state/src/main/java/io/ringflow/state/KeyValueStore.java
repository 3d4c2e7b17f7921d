package io.ringflow.state;

/**
 * A keyed state store owned by exactly one shard of one keyed operator.
 *
 * <p>Ringflow routes every key to one shard, and one shard is driven by one thread, so a
 * store is never touched concurrently and implementations take no locks. A store holds live
 * objects; implementations that keep bytes (RocksDB) serialize on write-back, not on every
 * {@link #get}.
 *
 * @param <K> key type; must implement {@code equals} and {@code hashCode} consistently
 * @param <V> value type
 */
public interface KeyValueStore<K, V> extends AutoCloseable {

    /** The store's name, unique within a topology; it names the store in errors and metrics. */
    String name();

    /**
     * Returns the value stored for {@code key}, or {@code null} if there is none.
     * Cost: one hash lookup in memory.
     */
    V get(K key);

    /** Stores {@code value} for {@code key}, replacing any previous value. A {@code null} value deletes. */
    void put(K key, V value);

    /**
     * Stores {@code value} only if {@code key} has no value yet.
     *
     * @return the value already present, or {@code null} if {@code value} was stored
     */
    V putIfAbsent(K key, V value);

    /**
     * Removes the value for {@code key}.
     *
     * @return the value that was removed, or {@code null} if there was none
     */
    V delete(K key);

    /** Number of keys held; exact for in-memory stores, an estimate for disk-backed ones. */
    long approximateNumEntries();

    /** Releases the store's resources; using it afterwards fails. */
    @Override
    void close();
}
