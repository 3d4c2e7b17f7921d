package io.ringflow.state.memory;

import io.ringflow.state.Bytes;
import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.KeyValueStore;
import io.ringflow.state.Serde;
import io.ringflow.state.StoreSerde;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A {@link KeyValueStore} on a {@link HashMap}: point reads and writes are one hash lookup,
 * with no serialization; iteration serializes and sorts the keys it visits (cost grows with
 * the store). State is lost when the process stops and is bounded only by the heap: for
 * tests and for small state that can be rebuilt.
 */
public final class InMemoryKeyValueStore<K, V> implements KeyValueStore<K, V> {

    private final String name;
    private final StoreSerde<K> keySerde;
    private Map<K, V> entries = new HashMap<>();

    public InMemoryKeyValueStore(String name, Serde<K> keySerde) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a state store needs a non-blank name");
        }
        this.name = name;
        this.keySerde = new StoreSerde<>(keySerde, name, "key");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public V get(K key) {
        return open().get(key);
    }

    @Override
    public void put(K key, V value) {
        if (value == null) {
            open().remove(key);
        } else {
            open().put(key, value);
        }
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return open().putIfAbsent(key, value);
    }

    @Override
    public V delete(K key) {
        return open().remove(key);
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        byte[] low = keySerde.serialize(from);
        byte[] high = keySerde.serialize(to);
        return snapshot(bytes -> Bytes.compare(bytes, low) >= 0 && Bytes.compare(bytes, high) < 0);
    }

    @Override
    public KeyValueIterator<K, V> prefixScan(K prefix) {
        byte[] start = keySerde.serialize(prefix);
        return snapshot(bytes -> Bytes.startsWith(bytes, start));
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return snapshot(bytes -> true);
    }

    @Override
    public long approximateNumEntries() {
        return open().size();
    }

    @Override
    public void close() {
        entries = null;
    }

    private KeyValueIterator<K, V> snapshot(Predicate<byte[]> keep) {
        List<SortedSnapshot.Item<K, V>> items = new ArrayList<>();
        for (Map.Entry<K, V> entry : open().entrySet()) {
            byte[] bytes = keySerde.serialize(entry.getKey());
            if (keep.test(bytes)) {
                items.add(new SortedSnapshot.Item<>(bytes, entry.getKey(), entry.getValue()));
            }
        }
        return new SortedSnapshot<>(items);
    }

    private Map<K, V> open() {
        Map<K, V> map = entries;
        if (map == null) {
            throw new IllegalStateException("state store '" + name + "' is closed");
        }
        return map;
    }
}
