package io.ringflow.state.memory;

import io.ringflow.state.timers.TimerTable;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * A {@link TimerTable} on a sorted set on the heap: writes apply at once, a scan walks the
 * set from its start key. Gone when the process stops, like the heap's other stores.
 */
public final class InMemoryTimerTable implements TimerTable {

    private final String name;
    private TreeSet<byte[]> keys = new TreeSet<>(Arrays::compareUnsigned);

    public InMemoryTimerTable(String name) {
        this.name = name;
    }

    @Override
    public void put(byte[] key) {
        open().add(key);
    }

    @Override
    public void delete(byte[] key) {
        open().remove(key);
    }

    @Override
    public void commit() {
        open();
    }

    @Override
    public void scan(byte[] from, Visitor visitor) {
        for (byte[] key : open().tailSet(from, true)) {
            if (!visitor.visit(key)) {
                return;
            }
        }
    }

    @Override
    public byte[] lastKey() {
        TreeSet<byte[]> set = open();
        return set.isEmpty() ? null : set.last();
    }

    @Override
    public long approximateSize() {
        return open().size();
    }

    @Override
    public void close() {
        keys = null;
    }

    private TreeSet<byte[]> open() {
        TreeSet<byte[]> set = keys;
        if (set == null) {
            throw new IllegalStateException("timer store '" + name + "' is closed");
        }
        return set;
    }
}
