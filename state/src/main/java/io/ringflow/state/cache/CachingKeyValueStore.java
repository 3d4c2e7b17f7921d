package io.ringflow.state.cache;

import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.KeyValueStore;
import io.ringflow.state.StoreEntry;
import io.ringflow.state.rocksdb.RocksDbKeyValueStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A write-back cache in front of a RocksDB store: reads and writes of cached keys are one
 * hash lookup with no serialization and no JNI call. Changed entries are written to RocksDB
 * together, in one {@code WriteBatch}, when {@code maxEntries} of them are dirty, before a
 * checkpoint or a range scan, and on close. So a key updated a thousand times between two
 * writes costs one RocksDB write, and a key space that fits the cache costs no RocksDB
 * write until the state must be durable, as with Kafka Streams' record cache.
 *
 * <p>Why not write at the end of every ring-buffer batch: with the write-ahead log off, a
 * RocksDB write makes nothing more durable (the memtable is memory too; durability comes from
 * checkpoints and the flush on close), while each entry written costs about a microsecond on
 * a small machine, which caps a store at about a million updates a second whenever batches
 * hold mostly distinct keys.
 *
 * <p>The cost moves to the write: writing {@code maxEntries} entries holds the shard's thread
 * for roughly {@code maxEntries} microseconds, once per {@code maxEntries} distinct keys
 * updated. Size the cache for the trade: larger absorbs more, smaller stalls less.
 */
public final class CachingKeyValueStore<K, V> implements KeyValueStore<K, V> {

    /** A cached value; {@code null} means "deleted, not yet written". */
    private static final class Slot<V> {
        V value;
        boolean dirty;
    }

    private final RocksDbKeyValueStore<K, V> inner;
    private final int maxEntries;
    private final Map<K, Slot<V>> cache = new HashMap<>();
    private final List<K> dirtyKeys = new ArrayList<>();
    private final List<StoreEntry<K, V>> batch = new ArrayList<>();

    public CachingKeyValueStore(RocksDbKeyValueStore<K, V> inner, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("a cache needs room for at least one entry, got " + maxEntries);
        }
        this.inner = inner;
        this.maxEntries = maxEntries;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public V get(K key) {
        Slot<V> slot = cache.get(key);
        if (slot != null) {
            return slot.value;
        }
        V value = inner.get(key);
        if (value != null && cache.size() < maxEntries) {
            slot = new Slot<>();
            slot.value = value;
            cache.put(key, slot);
        }
        return value;
    }

    @Override
    public void put(K key, V value) {
        inner.check(key, value); // a type no serde can write fails now, not at the next flush
        Slot<V> slot = cache.get(key);
        if (slot == null) {
            slot = new Slot<>();
            cache.put(key, slot);
        }
        slot.value = value;
        if (!slot.dirty) {
            slot.dirty = true;
            dirtyKeys.add(key);
            if (dirtyKeys.size() >= maxEntries) {
                flush();
            }
        }
    }

    /** The number of changed entries not yet written to RocksDB. */
    public int dirtyEntries() {
        return dirtyKeys.size();
    }

    @Override
    public void flush() {
        if (!dirtyKeys.isEmpty()) {
            for (K key : dirtyKeys) {
                Slot<V> slot = cache.get(key);
                slot.dirty = false;
                batch.add(new StoreEntry<>(key, slot.value));
                if (slot.value == null) {
                    cache.remove(key);
                }
            }
            try {
                inner.putAll(batch);
            } finally {
                batch.clear();
                dirtyKeys.clear();
            }
        }
        if (cache.size() > maxEntries) {
            cache.clear();
        }
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        flush();
        return inner.range(from, to);
    }

    @Override
    public KeyValueIterator<K, V> prefixScan(K prefix) {
        flush();
        return inner.prefixScan(prefix);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        flush();
        return inner.all();
    }

    @Override
    public long approximateNumEntries() {
        flush();
        return inner.approximateNumEntries();
    }

    /** The larger of the cache's and RocksDB's counts: new keys not yet written are missed when RocksDB holds more. */
    @Override
    public long estimatedEntries() {
        return Math.max(cache.size(), inner.approximateNumEntries());
    }

    @Override
    public void close() {
        try {
            flush();
        } finally {
            cache.clear();
            inner.close();
        }
    }
}
