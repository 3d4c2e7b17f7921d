package io.ringflow.state.cache;

import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.StoreEntry;
import java.util.ConcurrentModificationException;
import java.util.NoSuchElementException;

/**
 * A range read of one key's cached windows ({@code start <= to}, from an index on), skipping
 * deleted ones. {@link CachingWindowStore} hands out the same instance again once it is
 * closed, so a read costs no iterator object; each entry it returns is one {@link StoreEntry}
 * (the start was boxed once, with its slot).
 *
 * <p>A live view, not a copy: it refuses to go on if the key's windows were added or removed
 * while it was open (write after closing it, as try-with-resources does).
 */
final class KeyWindowCursor<V> implements KeyValueIterator<Long, V> {

    private KeyWindows<V> windows;
    private int index;
    private long to;
    private int modifications;
    private boolean open;

    boolean isOpen() {
        return open;
    }

    KeyWindowCursor<V> reset(KeyWindows<V> windows, long from, long to) {
        this.windows = windows;
        this.index = windows.firstFrom(from);
        this.to = to;
        this.modifications = windows.modifications;
        this.open = true;
        return this;
    }

    @Override
    public boolean hasNext() {
        if (!open) {
            return false;
        }
        if (windows.modifications != modifications) {
            throw new ConcurrentModificationException("a window of this key was added or removed during a range"
                    + " read of the cache; close the iterator before writing");
        }
        while (index < windows.size() && windows.start(index) <= to) {
            if (windows.slot(index).value != null) {
                return true;
            }
            index++;
        }
        return false;
    }

    @Override
    public StoreEntry<Long, V> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more windows in this range");
        }
        KeyWindows.Slot<V> slot = windows.slot(index++);
        return new StoreEntry<>(slot.start, slot.value);
    }

    @Override
    public void close() {
        open = false;
        windows = null;
    }
}
