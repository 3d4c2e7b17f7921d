package io.ringflow.state;

/**
 * Keyed state per window: one value per (key, window start). One key's windows are one range
 * scan; everything older than a time goes in one call, so an endless stream keeps bounded
 * state. Owned by one shard; no locks.
 */
public interface WindowStore<K, V> extends AutoCloseable {

    String name();

    /** Stores the value of {@code key}'s window starting at {@code windowStart}; {@code null} deletes it. */
    void put(K key, long windowStart, V value);

    /** The value of {@code key}'s window starting at {@code windowStart}, or {@code null}. */
    V fetch(K key, long windowStart);

    /**
     * {@code key}'s windows with {@code timeFrom <= start <= timeTo}, by start; entries are
     * (start, value). Give the tightest {@code timeFrom} known: on RocksDB a deleted window stays
     * a tombstone until compaction, and a read steps over those in its range. Close the iterator
     * before writing to the store, and do not use it after: a cache may hand out a view of itself.
     */
    KeyValueIterator<Long, V> fetch(K key, long timeFrom, long timeTo);

    /** Every key's windows with {@code timeFrom <= start <= timeTo}, ordered by start. */
    KeyValueIterator<WindowedKey<K>, V> fetchAll(long timeFrom, long timeTo);

    /** Deletes every window, of every key, that starts before {@code time}. */
    void deleteOlderThan(long time);

    /** Number of windows held; an estimate for RocksDB. */
    long approximateNumEntries();

    /**
     * Like {@link #approximateNumEntries()}, but never writes anything to answer (a write-back
     * cache counts without flushing), so it is cheap enough for a metrics gauge. Less exact.
     */
    default long estimatedEntries() {
        return approximateNumEntries();
    }

    default void flush() {
    }

    @Override
    void close();
}
