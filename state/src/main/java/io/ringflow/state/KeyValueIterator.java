package io.ringflow.state;

import java.util.Iterator;

/**
 * Entries of a store in key order. It may hold native resources (a RocksDB iterator and a
 * snapshot), so close it, with try-with-resources.
 */
public interface KeyValueIterator<K, V> extends Iterator<StoreEntry<K, V>>, AutoCloseable {

    @Override
    void close();
}
