package io.ringflow.state;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Entries of a store in key order. It may hold native resources (a RocksDB iterator and a
 * snapshot), so close it, with try-with-resources.
 */
public interface KeyValueIterator<K, V> extends Iterator<StoreEntry<K, V>>, AutoCloseable {

    @Override
    void close();

    /** An iterator over nothing; holds nothing to close. */
    static <K, V> KeyValueIterator<K, V> empty() {
        return new KeyValueIterator<>() {
            @Override
            public boolean hasNext() {
                return false;
            }

            @Override
            public StoreEntry<K, V> next() {
                throw new NoSuchElementException("an empty iterator");
            }

            @Override
            public void close() {
            }
        };
    }
}
