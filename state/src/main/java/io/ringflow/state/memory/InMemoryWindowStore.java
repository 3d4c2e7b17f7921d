package io.ringflow.state.memory;

import io.ringflow.state.Bytes;
import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.Serde;
import io.ringflow.state.StoreSerde;
import io.ringflow.state.WindowStore;
import io.ringflow.state.WindowedKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A {@link WindowStore} in a sorted map by window start, each start holding a hash map of
 * keys: a point fetch is a tree lookup and a hash lookup; dropping old windows drops whole
 * starts at once. Lost on stop; bounded by the heap.
 */
public final class InMemoryWindowStore<K, V> implements WindowStore<K, V> {

    private final String name;
    private final StoreSerde<K> keySerde;
    private NavigableMap<Long, Map<K, V>> byStart = new TreeMap<>();
    private long size;

    public InMemoryWindowStore(String name, Serde<K> keySerde) {
        this.name = name;
        this.keySerde = new StoreSerde<>(keySerde, name, "key");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void put(K key, long windowStart, V value) {
        if (value == null) {
            Map<K, V> windows = open().get(windowStart);
            if (windows != null && windows.remove(key) != null) {
                size--;
                if (windows.isEmpty()) {
                    byStart.remove(windowStart);
                }
            }
            return;
        }
        if (open().computeIfAbsent(windowStart, s -> new HashMap<>()).put(key, value) == null) {
            size++;
        }
    }

    @Override
    public V fetch(K key, long windowStart) {
        Map<K, V> windows = open().get(windowStart);
        return windows == null ? null : windows.get(key);
    }

    @Override
    public KeyValueIterator<Long, V> fetch(K key, long timeFrom, long timeTo) {
        List<SortedSnapshot.Item<Long, V>> items = new ArrayList<>();
        if (timeFrom <= timeTo) {
            for (Map.Entry<Long, Map<K, V>> windows : open().subMap(timeFrom, true, timeTo, true).entrySet()) {
                V value = windows.getValue().get(key);
                if (value != null) {
                    items.add(new SortedSnapshot.Item<>(sortable(windows.getKey()), windows.getKey(), value));
                }
            }
        }
        return new SortedSnapshot<>(items);
    }

    @Override
    public KeyValueIterator<WindowedKey<K>, V> fetchAll(long timeFrom, long timeTo) {
        List<SortedSnapshot.Item<WindowedKey<K>, V>> items = new ArrayList<>();
        if (timeFrom <= timeTo) {
            for (Map.Entry<Long, Map<K, V>> windows : open().subMap(timeFrom, true, timeTo, true).entrySet()) {
                for (Map.Entry<K, V> entry : windows.getValue().entrySet()) {
                    byte[] keyBytes = keySerde.serialize(entry.getKey());
                    byte[] order = Bytes.longThen(windows.getKey() ^ Long.MIN_VALUE, keyBytes);
                    items.add(new SortedSnapshot.Item<>(order, new WindowedKey<>(entry.getKey(), windows.getKey()),
                            entry.getValue()));
                }
            }
        }
        return new SortedSnapshot<>(items);
    }

    @Override
    public void deleteOlderThan(long time) {
        NavigableMap<Long, Map<K, V>> old = open().headMap(time, false);
        for (Map<K, V> windows : old.values()) {
            size -= windows.size();
        }
        old.clear();
    }

    @Override
    public long approximateNumEntries() {
        open();
        return size;
    }

    @Override
    public void close() {
        byStart = null;
    }

    private static byte[] sortable(long start) {
        return Bytes.withLong(new byte[0], start ^ Long.MIN_VALUE);
    }

    private NavigableMap<Long, Map<K, V>> open() {
        if (byStart == null) {
            throw new IllegalStateException("state store '" + name + "' is closed");
        }
        return byStart;
    }
}
