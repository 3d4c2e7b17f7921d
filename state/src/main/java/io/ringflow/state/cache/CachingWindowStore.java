package io.ringflow.state.cache;

import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.StoreEntry;
import io.ringflow.state.WindowStore;
import io.ringflow.state.WindowedKey;
import io.ringflow.state.rocksdb.RocksDbWindowStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A write-back cache in front of a RocksDB window store, like {@link CachingKeyValueStore}:
 * a window updated on every record costs a binary search in its key's cached windows
 * ({@link KeyWindows}), not a RocksDB read and write. Changed windows are written in one
 * {@code WriteBatch} when {@code maxEntries} are dirty and on close; {@link #fetchAll} merges
 * the cache with RocksDB, so a window that closes before it was ever written is never written
 * at all, and its delete is not written either: a window the cache knows RocksDB never held
 * leaves no tombstone behind.
 *
 * <p>A range read of one key ({@link #fetch(Object, long, long)}, what sessions do on every
 * record) reads RocksDB once per key, from its lower bound on: the cache then holds every
 * window of the key from that bound on, and answers later reads of that range from memory,
 * with no RocksDB iterator, no copy and no iterator object (see {@link KeyWindowCursor}).
 * A key whose windows were all deleted stays in the cache, empty, so its next session is
 * known to be new without a read; the cache is emptied, and that knowledge with it, when it
 * outgrows {@code maxEntries} windows or keys.
 */
public final class CachingWindowStore<K, V> implements WindowStore<K, V> {

    private final RocksDbWindowStore<K, V> inner;
    private final int maxEntries;
    private final Map<K, KeyWindows<V>> cache = new HashMap<>();
    private final WindowStartIndex<K> byStart = new WindowStartIndex<>();
    private final List<WindowedKey<K>> dirtyWindows = new ArrayList<>();
    private final List<StoreEntry<WindowedKey<K>, V>> batch = new ArrayList<>();
    /** Handed out by range reads while no other is open. */
    private final KeyWindowCursor<V> cursor = new KeyWindowCursor<>();
    /** The windows of a key the cache has nothing for, for an empty range. */
    private final KeyWindows<V> none = new KeyWindows<>();
    /** For {@link #fetchAll}: a RocksDB window the cache has a slot for is hidden; how keys order. */
    private final Predicate<WindowedKey<K>> inCache = this::cached;
    private final Function<K, byte[]> keyBytes;
    /** Slots cached, deleted ones included. */
    private int size;
    /**
     * What RocksDB can hold, read once ({@link RocksDbWindowStore#lastStart}) and kept true by
     * every flush: whether it holds any window, and the latest start it may hold. A window
     * starting later is new, so opening it reads nothing: otherwise each grid line of a time
     * window cost one RocksDB read per key (1,000 of them within milliseconds, once a second,
     * in the trading workload of {@code LatencyHarness}).
     */
    private boolean storedKnown;
    private boolean anyStored;
    private long lastStoredStart = Long.MIN_VALUE;

    public CachingWindowStore(RocksDbWindowStore<K, V> inner, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("a cache needs room for at least one entry, got " + maxEntries);
        }
        this.inner = inner;
        this.maxEntries = maxEntries;
        this.keyBytes = inner::keyBytes;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void put(K key, long windowStart, V value) {
        inner.check(key, value); // a type no serde can write fails now, not at the next flush
        KeyWindows<V> windows = windowsOf(key);
        int index = windows.indexOf(windowStart);
        KeyWindows.Slot<V> slot;
        if (index >= 0) {
            slot = windows.slot(index);
        } else if (value == null && windows.holdsAll(windowStart)) {
            return; // nothing to delete, here or in RocksDB
        } else {
            index = -index - 1;
            slot = addSlot(key, windows, index, windowStart, !windows.holdsAll(windowStart));
        }
        if (value == null && !slot.stored) {
            // Never written, so RocksDB has nothing to delete: drop it here and write nothing.
            removeSlot(key, windows, index);
            return;
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

    /** {@code key}'s cached windows, an empty set of them added if it had none. */
    private KeyWindows<V> windowsOf(K key) {
        KeyWindows<V> windows = cache.get(key);
        if (windows == null) {
            windows = new KeyWindows<>();
            cache.put(key, windows);
        }
        return windows;
    }

    /**
     * Adds a slot at {@code index} (the insertion point {@link KeyWindows#indexOf} gave): the
     * one place slots are added, so the count and the index by start stay exact.
     */
    private KeyWindows.Slot<V> addSlot(K key, KeyWindows<V> windows, int index, long start, boolean stored) {
        KeyWindows.Slot<V> slot = windows.insert(index, start, stored);
        byStart.added(key, start);
        size++;
        return slot;
    }

    /** Removes the slot at {@code index}, and the key too once it has no window left to tell of. */
    private void removeSlot(K key, KeyWindows<V> windows, int index) {
        byStart.removed(key, windows.start(index));
        windows.removeAt(index);
        size--;
        forgetIfEmpty(key, windows);
    }

    private void forgetAll() {
        cache.clear();
        byStart.clear();
        size = 0;
    }

    /** An empty key is kept only if it says something: that RocksDB holds nothing of it either. */
    private void forgetIfEmpty(K key, KeyWindows<V> windows) {
        if (windows.size() == 0 && !windows.complete) {
            cache.remove(key);
        }
    }

    @Override
    public V fetch(K key, long windowStart) {
        KeyWindows<V> windows = cache.get(key);
        if (windows != null) {
            int index = windows.indexOf(windowStart);
            if (index >= 0) {
                return windows.slot(index).value;
            }
            if (windows.holdsAll(windowStart)) {
                return null;
            }
        }
        if (neverStored(windowStart)) {
            return null;
        }
        V value = inner.fetch(key, windowStart);
        if (value != null && size < maxEntries) {
            windows = windows == null ? windowsOf(key) : windows;
            addSlot(key, windows, -windows.indexOf(windowStart) - 1, windowStart, true).value = value;
        }
        return value;
    }

    /**
     * The cached windows of {@code key} in the range; the first read of a key below what the
     * cache holds of it reads RocksDB from {@code timeFrom} to the key's last window, once.
     * The iterator is a view of the cache: close it before writing to the store again, and do
     * not use it after closing it (the next range read may be handed the same object).
     */
    @Override
    public KeyValueIterator<Long, V> fetch(K key, long timeFrom, long timeTo) {
        KeyWindows<V> windows = cache.get(key);
        if (timeFrom > timeTo) {
            windows = none;
        } else if (windows == null || !windows.holdsAll(timeFrom)) {
            windows = load(key, windows, timeFrom);
        }
        KeyWindowCursor<V> reading = cursor.isOpen() ? new KeyWindowCursor<>() : cursor;
        return reading.reset(windows, timeFrom, timeTo);
    }

    /**
     * Reads every window of {@code key} starting at or after {@code timeFrom} from RocksDB into
     * the cache (a cached slot, written or not, is newer and stays), so the cache holds all of
     * them from there on.
     */
    private KeyWindows<V> load(K key, KeyWindows<V> cached, long timeFrom) {
        KeyWindows<V> windows = cached == null ? windowsOf(key) : cached;
        try (KeyValueIterator<Long, V> stored = inner.fetch(key, timeFrom, Long.MAX_VALUE)) {
            while (stored.hasNext()) {
                StoreEntry<Long, V> entry = stored.next();
                int index = windows.indexOf(entry.key());
                if (index >= 0) {
                    windows.slot(index).stored = true;
                } else {
                    addSlot(key, windows, -index - 1, entry.key(), true).value = entry.value();
                }
            }
        }
        windows.complete = true;
        windows.completeFrom = timeFrom;
        return windows;
    }

    /**
     * Merges RocksDB's windows in the range with the cached ones (the cache wins) instead of
     * writing every dirty window first: closing windows reads them all, and most of them have
     * only ever lived in the cache, so they are never written at all. RocksDB is read lazily,
     * as the caller goes ({@link MergedWindows}): close the iterator before writing.
     */
    @Override
    public KeyValueIterator<WindowedKey<K>, V> fetchAll(long timeFrom, long timeTo) {
        List<MergedWindows.Sorted<K, V>> live = new ArrayList<>();
        if (timeFrom <= timeTo) {
            for (Map.Entry<Long, Set<K>> at : byStart.between(timeFrom, timeTo).entrySet()) {
                long start = at.getKey();
                for (K key : at.getValue()) {
                    V value = slotOf(key, start).value;
                    if (value != null) {
                        WindowedKey<K> id = new WindowedKey<>(key, start);
                        live.add(new MergedWindows.Sorted<>(inner.keyBytes(key), new StoreEntry<>(id, value)));
                    }
                }
            }
        }
        // Closing time windows asks for all once a second; with nothing in RocksDB, skip its iterator.
        KeyValueIterator<WindowedKey<K>, V> stored = storedKnown && !anyStored
                ? KeyValueIterator.empty() : inner.fetchAll(timeFrom, timeTo);
        return new MergedWindows<>(live, stored, inCache, keyBytes);
    }

    /** Whether RocksDB certainly holds no window starting at {@code windowStart}. */
    private boolean neverStored(long windowStart) {
        if (!storedKnown) {
            OptionalLong last = inner.lastStart();
            anyStored = last.isPresent();
            lastStoredStart = last.orElse(Long.MIN_VALUE);
            storedKnown = true;
        }
        return !anyStored || windowStart > lastStoredStart;
    }

    /** Whether the cache has a slot, live or deleted, for the window {@code id}. */
    private boolean cached(WindowedKey<K> id) {
        KeyWindows<V> windows = cache.get(id.key());
        return windows != null && windows.indexOf(id.windowStart()) >= 0;
    }

    /** The slot the index says {@code key} has at {@code start}. */
    private KeyWindows.Slot<V> slotOf(K key, long start) {
        KeyWindows<V> windows = cache.get(key);
        int index = windows == null ? -1 : windows.indexOf(start);
        if (index < 0) {
            throw new IllegalStateException("store '" + name() + "': the cache's index of window starts names a window"
                    + " of " + key + " at " + start + " that the cache does not hold");
        }
        return windows.slot(index);
    }

    @Override
    public void deleteOlderThan(long time) {
        NavigableMap<Long, Set<K>> closing = byStart.before(time);
        for (Set<K> keys : closing.values()) {
            for (K key : keys) {
                KeyWindows<V> windows = cache.get(key);
                if (windows != null) {
                    size -= windows.removeBefore(time);
                    if (windows.size() == 0) {
                        cache.remove(key);
                    }
                }
            }
        }
        closing.clear();
        if (storedKnown && !anyStored) {
            return; // RocksDB holds no window at all: nothing to scan for
        }
        inner.deleteOlderThan(time);
        if (storedKnown && lastStoredStart < time) {
            anyStored = false; // every window it held started before time
        }
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
                KeyWindows<V> windows = cache.get(id.key());
                int index = windows == null ? -1 : windows.indexOf(id.windowStart());
                if (index < 0 || !windows.slot(index).dirty) {
                    continue;
                }
                KeyWindows.Slot<V> slot = windows.slot(index);
                slot.dirty = false;
                slot.stored = true;
                batch.add(new StoreEntry<>(id, slot.value));
                if (slot.value != null && storedKnown) {
                    anyStored = true;
                    lastStoredStart = Math.max(lastStoredStart, id.windowStart());
                }
                if (slot.value == null) {
                    removeSlot(id.key(), windows, index);
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
        if (size > maxEntries || cache.size() > maxEntries) {
            forgetAll();
        }
    }

    @Override
    public void close() {
        try {
            flush();
        } finally {
            forgetAll();
            inner.close();
        }
    }
}
