package io.ringflow.state.rocksdb;

import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.StateException;
import io.ringflow.state.StoreEntry;
import java.util.NoSuchElementException;
import org.rocksdb.AbstractNativeReference;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Walks a RocksDB iterator from a seek position while {@link #decode} says the raw key is
 * still in range, decoding each entry. Subclasses decide the range and the decoding. The read
 * options an iterator was made with (those holding an upper bound) are closed with it.
 */
abstract class RocksDbIterator<K, V> implements KeyValueIterator<K, V> {

    private final String store;
    private final RocksIterator iterator;
    /** Closed after the iterator, which reads them to its end. */
    private final AbstractNativeReference[] owned;
    private StoreEntry<K, V> next;
    private boolean closed;

    RocksDbIterator(String store, RocksIterator iterator, byte[] seek, AbstractNativeReference... owned) {
        this.store = store;
        this.iterator = iterator;
        this.owned = owned;
        if (seek == null) {
            iterator.seekToFirst();
        } else {
            iterator.seek(seek);
        }
    }

    /**
     * What to do with this raw entry: return the decoded entry, {@code null} to skip it, or
     * throw {@link End} when the range is over.
     */
    abstract StoreEntry<K, V> decode(byte[] key, byte[] value);

    /** Thrown by {@link #decode} at the end of the range; a shared instance, no stack trace. */
    static final class End extends RuntimeException {
        static final End INSTANCE = new End();

        private End() {
            super(null, null, false, false);
        }
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (closed) {
            return false;
        }
        try {
            while (iterator.isValid()) {
                StoreEntry<K, V> entry = decode(iterator.key(), iterator.value());
                iterator.next();
                if (entry != null) {
                    next = entry;
                    return true;
                }
            }
            iterator.status();
        } catch (End end) {
            // the range is over
        } catch (RocksDBException e) {
            throw new StateException("store '" + store + "': iteration failed: " + e.getMessage(), e);
        }
        close();
        return false;
    }

    @Override
    public StoreEntry<K, V> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("store '" + store + "': no more entries");
        }
        StoreEntry<K, V> entry = next;
        next = null;
        return entry;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            iterator.close();
            for (AbstractNativeReference reference : owned) {
                reference.close();
            }
        }
    }
}
