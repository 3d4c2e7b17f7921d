package io.ringflow.state;

import java.util.HashMap;
import java.util.Map;

/**
 * A {@link KeyValueStore} on a {@link HashMap}: fastest, but its state is lost when the
 * process stops and it is bounded only by the heap. Use it for tests and for small state
 * that can be rebuilt.
 */
public final class InMemoryKeyValueStore<K, V> implements KeyValueStore<K, V> {

    private final String name;
    private Map<K, V> entries = new HashMap<>();

    public InMemoryKeyValueStore(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a state store needs a non-blank name");
        }
        this.name = name;
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
    public long approximateNumEntries() {
        return open().size();
    }

    @Override
    public void close() {
        entries = null;
    }

    private Map<K, V> open() {
        Map<K, V> map = entries;
        if (map == null) {
            throw new IllegalStateException("state store '" + name + "' is closed");
        }
        return map;
    }
}
