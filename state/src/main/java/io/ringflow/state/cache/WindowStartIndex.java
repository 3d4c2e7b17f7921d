package io.ringflow.state.cache;

import java.util.HashSet;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * The keys that have a cached window at each start, for {@link CachingWindowStore}: closing
 * windows (everything up to a time) then visits only the windows it closes, not every cached
 * key. Time windows close once a grid line for all keys together; visiting each of 1,000 keys
 * to find them cost the shard about 2 ms a second in the trading workload of
 * {@code LatencyHarness}. Exact: the store reports every slot it adds and removes. Costs a
 * set entry per cached window, paid when a window opens, never per update.
 */
final class WindowStartIndex<K> {

    private final TreeMap<Long, Set<K>> keysByStart = new TreeMap<>();

    void added(K key, long start) {
        keysByStart.computeIfAbsent(start, s -> new HashSet<>()).add(key);
    }

    void removed(K key, long start) {
        Set<K> keys = keysByStart.get(start);
        if (keys != null && keys.remove(key) && keys.isEmpty()) {
            keysByStart.remove(start);
        }
    }

    /** The starts from {@code from} to {@code to}, both included, in order, with their keys: a view. */
    NavigableMap<Long, Set<K>> between(long from, long to) {
        return keysByStart.subMap(from, true, to, true);
    }

    /** The starts before {@code time}, with their keys: a view, which {@code clear()} empties from the index. */
    NavigableMap<Long, Set<K>> before(long time) {
        return keysByStart.headMap(time, false);
    }

    void clear() {
        keysByStart.clear();
    }
}
