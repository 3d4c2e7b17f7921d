package io.ringflow.function;

import java.util.List;
import java.util.Map;

/**
 * A map per key, kept by a keyed {@code process} in a store of its own (RocksDB by default),
 * declared by a {@link MapStateSpec}: the map of the key of the record being processed (or of
 * the timer firing). Like Flink's {@code MapState}.
 *
 * <p>Each entry is one store entry, under the stream key's bytes (length first, so key "A"'s
 * entries never mix with key "AB"'s) followed by the map key's bytes. So a point operation
 * costs one store read or write whatever the map's size, usually served by the store's
 * write-back cache, and iteration is one ordered scan of this key's entries alone.
 *
 * <p>Iteration ({@link #entries}, {@link #keys}, {@link #values}) is in the unsigned byte order
 * of the serialized map keys: for String keys UTF-8 byte order, for Long and Integer keys
 * numeric order of non-negative numbers (negative ones come after them). It returns a copy,
 * read when it is called: change the map while you walk it if you like. Cost: the store's
 * buffered writes are written first (RocksDB), then one seek and one step per entry, and one
 * object per entry; on the heap backend a scan visits every entry of the store. With a
 * {@link Ttl}, expired entries are never returned.
 *
 * @param <K> the map's key type
 * @param <V> the map's value type
 */
public interface MapState<K, V> {

    /** The value of {@code key} in the current key's map, or {@code null} if it has none (or it expired). */
    V get(K key);

    /** Puts {@code key -> value} into the current key's map; a {@code null} value removes {@code key}. */
    void put(K key, V value);

    /** Puts every entry of {@code entries}, as {@link #put} would, one by one. */
    void putAll(Map<K, V> entries);

    /** Removes {@code key} from the current key's map, if it is there. */
    void remove(K key);

    /** Whether the current key's map holds {@code key} (and it has not expired). */
    boolean contains(K key);

    /** The current key's entries, in map-key byte order; a copy. */
    List<Map.Entry<K, V>> entries();

    /** The current key's map keys, in byte order; a copy. */
    List<K> keys();

    /** The current key's map values, in map-key byte order; a copy. */
    List<V> values();

    /** Whether the current key's map is empty: one seek, stopping at the first live entry. */
    boolean isEmpty();

    /** Removes every entry of the current key's map: one scan, and a delete per entry. */
    void clear();
}
