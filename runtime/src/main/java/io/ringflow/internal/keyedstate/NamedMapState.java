package io.ringflow.internal.keyedstate;

import io.ringflow.function.MapState;
import io.ringflow.state.StoreEntry;
import io.ringflow.state.StoreSerde;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A named {@link MapState}: one store entry per map entry, under the key's prefix then the map key's bytes. */
final class NamedMapState<K, V> implements MapState<K, V> {

    private final NamedStateRegistry registry;
    private final Declaration declaration;
    private final StoreSerde<K> keySerde;
    private final StoreSerde<V> valueSerde;

    NamedMapState(NamedStateRegistry registry, Declaration declaration, StoreSerde<K> keySerde,
                  StoreSerde<V> valueSerde) {
        this.registry = registry;
        this.declaration = declaration;
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
    }

    private byte[] entry(K key) {
        if (key == null) {
            throw new IllegalArgumentException("a map state's key cannot be null");
        }
        return StateLayout.entry(registry.prefix(), keySerde.serialize(key));
    }

    private long now() {
        return registry.now(declaration.spec.ttl());
    }

    @Override
    public V get(K key) {
        byte[] stored = registry.table(declaration).live(entry(key), now());
        return stored == null ? null : valueSerde.deserialize(StateLayout.body(stored));
    }

    @Override
    public void put(K key, V value) {
        if (value == null) {
            remove(key);
            return;
        }
        byte[] stored = StateLayout.stamp(registry.expiry(declaration.spec.ttl()), valueSerde.serialize(value));
        registry.table(declaration).put(entry(key), stored);
    }

    @Override
    public void putAll(Map<K, V> entries) {
        for (Map.Entry<K, V> entry : entries.entrySet()) {
            put(entry.getKey(), entry.getValue());
        }
    }

    @Override
    public void remove(K key) {
        registry.table(declaration).delete(entry(key));
    }

    @Override
    public boolean contains(K key) {
        return registry.table(declaration).live(entry(key), now()) != null;
    }

    @Override
    public List<Map.Entry<K, V>> entries() {
        List<Map.Entry<K, V>> entries = new ArrayList<>();
        for (StoreEntry<StateKey, byte[]> stored : liveEntries()) {
            entries.add(new AbstractMap.SimpleImmutableEntry<>(key(stored), value(stored)));
        }
        return entries;
    }

    @Override
    public List<K> keys() {
        List<K> keys = new ArrayList<>();
        for (StoreEntry<StateKey, byte[]> stored : liveEntries()) {
            keys.add(key(stored));
        }
        return keys;
    }

    @Override
    public List<V> values() {
        List<V> values = new ArrayList<>();
        for (StoreEntry<StateKey, byte[]> stored : liveEntries()) {
            values.add(value(stored));
        }
        return values;
    }

    @Override
    public boolean isEmpty() {
        return !registry.table(declaration).anyLive(registry.prefix(), now());
    }

    @Override
    public void clear() {
        StateTable table = registry.table(declaration);
        for (StoreEntry<StateKey, byte[]> stored : table.scan(registry.prefix())) {
            table.delete(stored.key().bytes());
        }
    }

    private List<StoreEntry<StateKey, byte[]>> liveEntries() {
        long now = now();
        List<StoreEntry<StateKey, byte[]>> entries = registry.table(declaration).scan(registry.prefix());
        entries.removeIf(stored -> StateLayout.expiry(stored.value()) <= now);
        return entries;
    }

    private K key(StoreEntry<StateKey, byte[]> stored) {
        return keySerde.deserialize(StateLayout.sub(stored.key().bytes()));
    }

    private V value(StoreEntry<StateKey, byte[]> stored) {
        return valueSerde.deserialize(StateLayout.body(stored.value()));
    }
}
