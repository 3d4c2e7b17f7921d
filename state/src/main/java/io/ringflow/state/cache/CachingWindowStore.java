package io.ringflow.state.cache;

import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.StoreEntry;
import io.ringflow.state.WindowStore;
import io.ringflow.state.WindowedKey;
import io.ringflow.state.rocksdb.RocksDbWindowStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A write-back cache in front of a RocksDB window store, like {@link CachingKeyValueStore}:
 * a window updated on every record costs a map lookup, not a RocksDB read and write. Changed
 * windows are written in one {@code WriteBatch} when {@code maxEntries} are dirty and on
 * close; {@link #fetchAll} merges the cache with RocksDB, so a window that closes before it
 * was ever written is never written at all. One key's windows in a time range are RocksDB's merged with the cached
 * ones, so sessions need no write either.
 */
public final class CachingWindowStore<K, V> implements WindowStore<K, V> {

    /** A cached window; {@code null} value means "deleted, not yet written". */
    private static final class Slot<V> {
        V value;
        boolean dirty;
    }

    private final RocksDbWindowStore<K, V> inner;
    private final int maxEntries;
    private final Map<K, NavigableMap<Long, Slot<V>>> cache = new HashMap<>();
    private final List<WindowedKey<K>> dirtyWindows = new ArrayList<>();
    private final List<StoreEntry<WindowedKey<K>, V>> batch = new ArrayList<>();
    private int size;

    public CachingWindowStore(RocksDbWindowStore<K, V> inner, int maxEntries) {
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
    public void put(K key, long windowStart, V value) {
        inner.check(key, value); // a type no serde can write fails now, not at the next flush
        NavigableMap<Long, Slot<V>> windows = cache.computeIfAbsent(key, k -> new TreeMap<>());
        Slot<V> slot = windows.get(windowStart);
        if (slot == null) {
            slot = new Slot<>();
            windows.put(windowStart, slot);
            size++;
        }
        slot.value = value;
        if (!slot.dirty) {
            slot.dirty = true;
            dirtyWindows.add(new WindowedKey<>(key, windowStart));
            if (dirtyWindows.size() >= maxEntries) {
                flush();
            }
        }
    }

    @Override
    public V fetch(K key, long windowStart) {
        NavigableMap<Long, Slot<V>> windows = cache.get(key);
        Slot<V> slot = windows == null ? null : windows.get(windowStart);
        if (slot != null) {
            return slot.value;
        }
        V value = inner.fetch(key, windowStart);
        if (value != null && size < maxEntries) {
            slot = new Slot<>();
            slot.value = value;
            cache.computeIfAbsent(key, k -> new TreeMap<>()).put(windowStart, slot);
            size++;
        }
        return value;
    }

    @Override
    public KeyValueIterator<Long, V> fetch(K key, long timeFrom, long timeTo) {
        TreeMap<Long, V> merged = new TreeMap<>();
        try (KeyValueIterator<Long, V> stored = inner.fetch(key, timeFrom, timeTo)) {
            stored.forEachRemaining(e -> merged.put(e.key(), e.value()));
        }
        NavigableMap<Long, Slot<V>> windows = cache.get(key);
        if (windows != null && timeFrom <= timeTo) {
            for (Map.Entry<Long, Slot<V>> cached : windows.subMap(timeFrom, true, timeTo, true).entrySet()) {
                if (cached.getValue().value == null) {
                    merged.remove(cached.getKey());
                } else {
                    merged.put(cached.getKey(), cached.getValue().value);
                }
            }
        }
        Iterator<Map.Entry<Long, V>> it = merged.entrySet().iterator();
        return new KeyValueIterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public StoreEntry<Long, V> next() {
                Map.Entry<Long, V> e = it.next();
                return new StoreEntry<>(e.getKey(), e.getValue());
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * Merges RocksDB's windows in the range with the cached ones (the cache wins) instead of
     * writing every dirty window first: closing windows reads them all, and most of them have
     * only ever lived in the cache, so they are never written at all.
     */
    @Override
    public KeyValueIterator<WindowedKey<K>, V> fetchAll(long timeFrom, long timeTo) {
        Map<WindowedKey<K>, Slot<V>> cached = new HashMap<>();
        if (timeFrom <= timeTo) {
            for (Map.Entry<K, NavigableMap<Long, Slot<V>>> key : cache.entrySet()) {
                for (Map.Entry<Long, Slot<V>> window : key.getValue().subMap(timeFrom, true, timeTo, true).entrySet()) {
                    cached.put(new WindowedKey<>(key.getKey(), window.getKey()), window.getValue());
                }
            }
        }
        List<Sorted<K, V>> merged = new ArrayList<>();
        try (KeyValueIterator<WindowedKey<K>, V> stored = inner.fetchAll(timeFrom, timeTo)) {
            while (stored.hasNext()) {
                StoreEntry<WindowedKey<K>, V> entry = stored.next();
                if (!cached.containsKey(entry.key())) {
                    merged.add(new Sorted<>(inner.keyBytes(entry.key().key()), entry));
                }
            }
        }
        for (Map.Entry<WindowedKey<K>, Slot<V>> window : cached.entrySet()) {
            if (window.getValue().value != null) {
                merged.add(new Sorted<>(inner.keyBytes(window.getKey().key()),
                        new StoreEntry<>(window.getKey(), window.getValue().value)));
            }
        }
        merged.sort(Sorted.ORDER);
        Iterator<Sorted<K, V>> it = merged.iterator();
        return new KeyValueIterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public StoreEntry<WindowedKey<K>, V> next() {
                return it.next().entry();
            }

            @Override
            public void close() {
            }
        };
    }

    /** A window with its serialized key, in RocksDB's fetchAll order: start, then key bytes unsigned. */
    private record Sorted<K, V>(byte[] keyBytes, StoreEntry<WindowedKey<K>, V> entry) {
        static final Comparator<Sorted<?, ?>> ORDER = (a, b) -> {
            int byStart = Long.compare(a.entry().key().windowStart(), b.entry().key().windowStart());
            return byStart != 0 ? byStart : Arrays.compareUnsigned(a.keyBytes(), b.keyBytes());
        };
    }

    @Override
    public void deleteOlderThan(long time) {
        Iterator<NavigableMap<Long, Slot<V>>> keys = cache.values().iterator();
        while (keys.hasNext()) {
            NavigableMap<Long, Slot<V>> windows = keys.next();
            NavigableMap<Long, Slot<V>> old = windows.headMap(time, false);
            size -= old.size();
            old.clear();
            if (windows.isEmpty()) {
                keys.remove();
            }
        }
        inner.deleteOlderThan(time);
    }

    @Override
    public long approximateNumEntries() {
        flush();
        return inner.approximateNumEntries();
    }

    /** The larger of the cache's and RocksDB's counts: new keys not yet written are missed when RocksDB holds more. */
    @Override
    public long estimatedEntries() {
        return Math.max(size, inner.approximateNumEntries());
    }

    /** Writes every dirty window still cached; windows deleted meanwhile are skipped. */
    @Override
    public void flush() {
        if (!dirtyWindows.isEmpty()) {
            for (WindowedKey<K> id : dirtyWindows) {
                NavigableMap<Long, Slot<V>> windows = cache.get(id.key());
                Slot<V> slot = windows == null ? null : windows.get(id.windowStart());
                if (slot == null || !slot.dirty) {
                    continue;
                }
                slot.dirty = false;
                batch.add(new StoreEntry<>(id, slot.value));
                if (slot.value == null) {
                    windows.remove(id.windowStart());
                    size--;
                }
            }
            try {
                if (!batch.isEmpty()) {
                    inner.putAll(batch);
                }
            } finally {
                batch.clear();
                dirtyWindows.clear();
            }
        }
        if (size > maxEntries) {
            cache.clear();
            size = 0;
        }
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
