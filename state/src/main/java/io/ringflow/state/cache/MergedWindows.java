package io.ringflow.state.cache;

import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.StoreEntry;
import io.ringflow.state.WindowedKey;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@link CachingWindowStore#fetchAll}'s answer, in RocksDB's order (start, then key bytes
 * unsigned): the cache's windows in the range, sorted once (they are the live ones, few),
 * merged with RocksDB's as the caller reads on, so RocksDB is read only as far as the caller
 * goes. Asking for the first window of a large store, as a session aggregation does once when
 * it opens, costs one seek, not a copy of the store. A RocksDB window the cache has a slot
 * for is the cache's (newer, or deleted); the cache is asked as each RocksDB window comes, so
 * write to the store only after closing this.
 */
final class MergedWindows<K, V> implements KeyValueIterator<WindowedKey<K>, V> {

    /** A window with its serialized key, which orders one start's windows. */
    record Sorted<K, V>(byte[] keyBytes, StoreEntry<WindowedKey<K>, V> entry) {
        static final Comparator<Sorted<?, ?>> ORDER = (a, b) -> {
            int byStart = Long.compare(a.entry().key().windowStart(), b.entry().key().windowStart());
            return byStart != 0 ? byStart : Arrays.compareUnsigned(a.keyBytes(), b.keyBytes());
        };
    }

    private final List<Sorted<K, V>> cached;
    private final KeyValueIterator<WindowedKey<K>, V> stored;
    private final Predicate<WindowedKey<K>> inCache;
    private final Function<K, byte[]> keyBytes;
    private int index;
    private Sorted<K, V> nextStored;

    /**
     * @param cached   the cache's live windows in the range, in any order (sorted here)
     * @param stored   RocksDB's windows in the range, in order; closed with this
     * @param inCache  whether the cache has a slot for a window, which then hides RocksDB's
     * @param keyBytes a key as RocksDB orders it
     */
    MergedWindows(List<Sorted<K, V>> cached, KeyValueIterator<WindowedKey<K>, V> stored,
                  Predicate<WindowedKey<K>> inCache, Function<K, byte[]> keyBytes) {
        cached.sort(Sorted.ORDER);
        this.cached = cached;
        this.stored = stored;
        this.inCache = inCache;
        this.keyBytes = keyBytes;
    }

    @Override
    public boolean hasNext() {
        return index < cached.size() || peekStored() != null;
    }

    @Override
    public StoreEntry<WindowedKey<K>, V> next() {
        Sorted<K, V> fromStore = peekStored();
        if (index < cached.size() && (fromStore == null || Sorted.ORDER.compare(cached.get(index), fromStore) < 0)) {
            return cached.get(index++).entry();
        }
        if (fromStore == null) {
            throw new NoSuchElementException("no more windows in this range");
        }
        nextStored = null;
        return fromStore.entry();
    }

    /** RocksDB's next window the cache does not hide, or {@code null} at the end. */
    private Sorted<K, V> peekStored() {
        while (nextStored == null && stored.hasNext()) {
            StoreEntry<WindowedKey<K>, V> entry = stored.next();
            if (!inCache.test(entry.key())) {
                nextStored = new Sorted<>(keyBytes.apply(entry.key().key()), entry);
            }
        }
        return nextStored;
    }

    @Override
    public void close() {
        stored.close();
    }
}
