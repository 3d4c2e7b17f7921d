package io.ringflow.state.cache;

import java.util.Arrays;

/**
 * One key's cached windows in {@link CachingWindowStore}: starts in a sorted {@code long[]}
 * beside their slots, so a lookup is a binary search with no boxing and a range is a run of
 * indexes, with no map entry or view object allocated. A key has few live windows (a handful
 * of sessions, the windows a hopping window overlaps), so inserting into the arrays costs
 * less than a tree node would.
 *
 * <p>It also records how much of the key the cache holds: when {@link #complete}, every
 * window of the key that RocksDB holds with a start at or after {@link #completeFrom} has a
 * slot here (a deleted one keeps its {@code null} slot until the delete is written), so a
 * read in that range needs no RocksDB access at all. Not thread-safe.
 */
final class KeyWindows<V> {

    /** A cached window; a {@code null} value means "deleted, not yet written". */
    static final class Slot<V> {
        /** The window's start, boxed once, for the entries a range read returns. */
        final Long start;
        V value;
        /** Changed since it was last written. */
        boolean dirty;
        /** RocksDB may hold this window: it was read from there or written, or the cache cannot tell. */
        boolean stored;

        Slot(long start, boolean stored) {
            this.start = start;
            this.stored = stored;
        }
    }

    private long[] starts = new long[2];
    @SuppressWarnings("unchecked")
    private Slot<V>[] slots = new Slot[2];
    private int size;
    /** Counts structural changes, so a range read can tell that the windows changed under it. */
    int modifications;
    boolean complete;
    long completeFrom;

    int size() {
        return size;
    }

    long start(int index) {
        return starts[index];
    }

    Slot<V> slot(int index) {
        return slots[index];
    }

    /** The index of {@code start}, or {@code -(insertion point) - 1}, as {@link Arrays#binarySearch} gives it. */
    int indexOf(long start) {
        return Arrays.binarySearch(starts, 0, size, start);
    }

    /** The index of the first window starting at or after {@code start} ({@link #size()} if none). */
    int firstFrom(long start) {
        int index = indexOf(start);
        return index >= 0 ? index : -index - 1;
    }

    /** Whether RocksDB can hold no window at {@code start} that has no slot here. */
    boolean holdsAll(long start) {
        return complete && start >= completeFrom;
    }

    /** Inserts a slot for {@code start} at {@code index} (the insertion point {@link #indexOf} gave). */
    Slot<V> insert(int index, long start, boolean stored) {
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            slots = Arrays.copyOf(slots, size * 2);
        }
        System.arraycopy(starts, index, starts, index + 1, size - index);
        System.arraycopy(slots, index, slots, index + 1, size - index);
        Slot<V> slot = new Slot<>(start, stored);
        starts[index] = start;
        slots[index] = slot;
        size++;
        modifications++;
        return slot;
    }

    void removeAt(int index) {
        System.arraycopy(starts, index + 1, starts, index, size - index - 1);
        System.arraycopy(slots, index + 1, slots, index, size - index - 1);
        slots[--size] = null;
        modifications++;
    }

    /** Removes every window starting before {@code time}; returns how many. */
    int removeBefore(long time) {
        int removed = firstFrom(time);
        if (removed > 0) {
            System.arraycopy(starts, removed, starts, 0, size - removed);
            System.arraycopy(slots, removed, slots, 0, size - removed);
            Arrays.fill(slots, size - removed, size, null);
            size -= removed;
            modifications++;
        }
        return removed;
    }
}
