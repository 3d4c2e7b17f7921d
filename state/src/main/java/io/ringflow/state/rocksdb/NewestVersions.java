package io.ringflow.state.rocksdb;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The newest version of recently read keys, on the heap, with the time of the version it
 * superseded when that is known: most reads of a versioned store ask for a time at or after the
 * key's newest version (an as-of join reads just behind the watermark) and are answered here
 * without a seek, and a version's expiry deletes the one before it without looking for it.
 * At most {@code capacity} keys, the least recently used leaving first. A key is added when a
 * read finds its newest version, and every put of a key held here keeps it exact.
 */
final class NewestVersions<K, V> {

    /** One key's newest version. */
    static final class Newest<V> {
        long time;
        V value;
        boolean tombstone;
        /** The time of the newest version before {@link #time}, when {@link #previousKnown}. */
        long previous;
        boolean previousKnown;
    }

    private final Map<K, Newest<V>> keys;

    NewestVersions(int capacity) {
        this.keys = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Newest<V>> eldest) {
                return size() > capacity;
            }
        };
    }

    /** {@code key}'s newest version, or {@code null} when it is not held here. */
    Newest<V> of(K key) {
        return keys.get(key);
    }

    /** A read found {@code key}'s newest version; what came before it is not known. */
    void found(K key, long time, V value, boolean tombstone) {
        Newest<V> newest = new Newest<>();
        newest.time = time;
        newest.value = value;
        newest.tombstone = tombstone;
        keys.put(key, newest);
    }

    /** A version of a key held here was put at {@code time}: the newest, or the one before it, may change. */
    static <V> void put(Newest<V> newest, long time, V value) {
        if (time > newest.time) {
            newest.previous = newest.time;
            newest.previousKnown = true;
            newest.time = time;
            newest.value = value;
            newest.tombstone = value == null;
        } else if (time == newest.time) {
            newest.value = value;
            newest.tombstone = value == null;
        } else if (newest.previousKnown && time > newest.previous) {
            newest.previous = time;
        }
    }
}
