package io.ringflow.state.timers;

import java.util.Arrays;

/**
 * The adds and removes of timers not yet written to the table: for each (time, key) the last
 * change made to it. An open-addressing hash table over parallel arrays, so an add or remove
 * allocates nothing once the arrays have grown (a timer registered per record is common), and
 * a list of the used slots, so writing the changes costs their number, not the table's size.
 */
final class PendingTimers<K> {

    static final byte NONE = 0;
    static final byte ADDED = 1;
    static final byte REMOVED = 2;

    /** Receives each pending change when they are drained. */
    interface Drain<K> {
        /**
         * @param fresh whether the timer was known, at its first change since the last drain,
         *              not to be in the table: then a removal needs no write
         */
        void accept(long time, K key, boolean added, boolean fresh);
    }

    private long[] times;
    private Object[] keys;
    private byte[] changes;
    /** Per slot: the timer was not in the table when its first change since the last drain came. */
    private boolean[] fresh;
    /** The slots in use, in the order they were taken. */
    private int[] used;
    private int size;
    private int mask;
    /** Lower bound of the times added since the last drain: no added timer is earlier. */
    private long lowestAdded = Long.MAX_VALUE;
    /** Lower bound of the times of every change since the last drain, adds and removes. */
    private long lowestChanged = Long.MAX_VALUE;

    PendingTimers() {
        allocate(16);
    }

    private void allocate(int capacity) {
        times = new long[capacity];
        keys = new Object[capacity];
        changes = new byte[capacity];
        fresh = new boolean[capacity];
        used = new int[capacity / 2 + 1];
        mask = capacity - 1;
    }

    /**
     * Records {@code change} ({@link #ADDED} or {@link #REMOVED}) as the last change of
     * ({@code time}, {@code key}); {@code notInTable} says whether the caller knows the timer is
     * not in the table, which counts if this is its first change since the last drain.
     */
    void set(long time, K key, byte change, boolean notInTable) {
        int slot = slotOf(time, key);
        if (changes[slot] == NONE) {
            times[slot] = time;
            keys[slot] = key;
            fresh[slot] = notInTable;
            used[size++] = slot;
        }
        changes[slot] = change;
        if (change == ADDED && time < lowestAdded) {
            lowestAdded = time;
        }
        if (time < lowestChanged) {
            lowestChanged = time;
        }
        if (size == used.length) {
            grow();
        }
    }

    /** The last change of ({@code time}, {@code key}) since the last drain: {@link #NONE} if none. */
    byte changeOf(long time, K key) {
        return changes[slotOf(time, key)];
    }

    int size() {
        return size;
    }

    /** No timer added since the last drain is earlier than this ({@code Long.MAX_VALUE} when none was). */
    long lowestAdded() {
        return lowestAdded;
    }

    /** No change since the last drain, add or remove, is of a time earlier than this. */
    long lowestChanged() {
        return lowestChanged;
    }

    /** Hands every change to {@code drain} and forgets them all. */
    @SuppressWarnings("unchecked")
    void drain(Drain<K> drain) {
        for (int i = 0; i < size; i++) {
            int slot = used[i];
            drain.accept(times[slot], (K) keys[slot], changes[slot] == ADDED, fresh[slot]);
        }
        clear();
    }

    private void clear() {
        for (int i = 0; i < size; i++) {
            int slot = used[i];
            changes[slot] = NONE;
            keys[slot] = null;
        }
        size = 0;
        lowestAdded = Long.MAX_VALUE;
        lowestChanged = Long.MAX_VALUE;
    }

    private int slotOf(long time, Object key) {
        int slot = hash(time, key) & mask;
        while (changes[slot] != NONE && (times[slot] != time || !keys[slot].equals(key))) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private static int hash(long time, Object key) {
        int h = Long.hashCode(time * 0x9E3779B97F4A7C15L) ^ key.hashCode() * 0x85EBCA6B;
        return h ^ (h >>> 16);
    }

    /** Doubles the table, keeping it at most half full, and the order of the used slots. */
    private void grow() {
        long[] oldTimes = times;
        Object[] oldKeys = keys;
        byte[] oldChanges = changes;
        boolean[] oldFresh = fresh;
        int[] oldUsed = Arrays.copyOf(used, size);
        allocate(times.length * 2);
        int count = size;
        size = 0;
        for (int i = 0; i < count; i++) {
            int old = oldUsed[i];
            int slot = slotOf(oldTimes[old], oldKeys[old]);
            times[slot] = oldTimes[old];
            keys[slot] = oldKeys[old];
            changes[slot] = oldChanges[old];
            fresh[slot] = oldFresh[old];
            used[size++] = slot;
        }
    }
}
