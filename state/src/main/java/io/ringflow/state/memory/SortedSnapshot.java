package io.ringflow.state.memory;

import io.ringflow.state.Bytes;
import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.StoreEntry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A copy of some entries sorted by serialized key, for in-memory stores to iterate in the
 * same order as RocksDB. Copying makes the iterator immune to writes made while it is open.
 */
final class SortedSnapshot<K, V> implements KeyValueIterator<K, V> {

    record Item<K, V>(byte[] keyBytes, K key, V value) {
    }

    private final Iterator<Item<K, V>> items;

    SortedSnapshot(List<Item<K, V>> items) {
        List<Item<K, V>> sorted = new ArrayList<>(items);
        sorted.sort((a, b) -> Bytes.compare(a.keyBytes(), b.keyBytes()));
        this.items = sorted.iterator();
    }

    @Override
    public boolean hasNext() {
        return items.hasNext();
    }

    @Override
    public StoreEntry<K, V> next() {
        Item<K, V> item = items.next();
        return new StoreEntry<>(item.key(), item.value());
    }

    @Override
    public void close() {
    }
}
