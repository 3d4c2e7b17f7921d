package io.ringflow.state.memory;

import io.ringflow.state.Serde;
import io.ringflow.state.TimerStore;
import io.ringflow.state.VersionedStore;
import io.ringflow.state.timers.BufferedTimerStore;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A {@link VersionedStore} on the heap: each key's versions in a sorted map by time, and an
 * expiry index of {@code (validFrom, key)} in a timer store, from which {@link #expire} takes
 * the versions that became old. Values are kept as objects, never serialized; keys are
 * serialized only for the index's order.
 */
public final class InMemoryVersionedStore<K, V> implements VersionedStore<K, V> {

    /** A tombstone version: a sorted map cannot hold {@code null} as a value and tell it from "absent". */
    private static final Object TOMBSTONE = new Object();

    private final String name;
    private final Map<K, TreeMap<Long, Object>> versions = new HashMap<>();
    private final TimerStore<K> expiry;
    private long entries;
    private boolean closed;
    private long expiring;
    private final TimerStore.Expired<K> expireKey = (validFrom, key) -> expireKey(key, expiring);

    public InMemoryVersionedStore(String name, Serde<K> keySerde, int expiryBuffer) {
        this.name = name;
        this.expiry = new BufferedTimerStore<>(name + ".expiry", keySerde, new InMemoryTimerTable(name + ".expiry"),
                Math.max(1, expiryBuffer));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void put(K key, V value, long validFrom) {
        open();
        TreeMap<Long, Object> history = versions.computeIfAbsent(key, k -> new TreeMap<>());
        if (history.put(validFrom, value == null ? TOMBSTONE : value) == null) {
            entries++;
        }
        expiry.add(validFrom, key);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(K key, long asOf) {
        open();
        TreeMap<Long, Object> history = versions.get(key);
        if (history == null) {
            return null;
        }
        Map.Entry<Long, Object> valid = history.floorEntry(asOf);
        return valid == null || valid.getValue() == TOMBSTONE ? null : (V) valid.getValue();
    }

    @Override
    public void expire(long bound) {
        open();
        if (bound < expiry.lowerBound()) {
            return;
        }
        expiring = bound;
        expiry.pollUpTo(bound, expireKey);
    }

    private void expireKey(K key, long bound) {
        TreeMap<Long, Object> history = versions.get(key);
        if (history == null) {
            return;
        }
        Long valid = history.floorKey(bound);
        if (valid == null) {
            return;
        }
        NavigableMap<Long, Object> superseded = history.headMap(valid, history.get(valid) == TOMBSTONE);
        entries -= superseded.size();
        superseded.clear();
        if (history.isEmpty()) {
            versions.remove(key);
        }
    }

    @Override
    public long approximateNumEntries() {
        return entries;
    }

    @Override
    public void flush() {
        expiry.flush();
    }

    @Override
    public void close() {
        closed = true;
        expiry.close();
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("state store '" + name + "' is closed");
        }
    }
}
