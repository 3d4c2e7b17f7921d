package io.ringflow.state.rocksdb;

import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * The one memory budget of every RocksDB store of a pipeline: a block cache shared by all
 * shards and column families, and a write buffer manager that charges every memtable to
 * that same cache. However many stores and shards there are, RocksDB's block cache and
 * memtables stay within {@code bytes} (index and filter blocks are cached in it too).
 */
public final class RocksDbMemory implements AutoCloseable {

    static {
        RocksDB.loadLibrary();
    }

    private static final double HIGH_PRIORITY_RATIO = 0.1;

    private final long bytes;
    private final Cache cache;
    private final WriteBufferManager writeBufferManager;

    /** @param bytes the whole budget; memtables may take up to half of it */
    public RocksDbMemory(long bytes) {
        if (bytes < 1 << 20) {
            throw new IllegalArgumentException("a RocksDB memory budget below 1 MiB cannot hold a memtable; got " + bytes);
        }
        this.bytes = bytes;
        // A tenth of the cache is kept for index and filter blocks (cached at high priority),
        // so a scan over data blocks cannot push out what every lookup needs first.
        this.cache = new LRUCache(bytes, -1, false, HIGH_PRIORITY_RATIO);
        this.writeBufferManager = new WriteBufferManager(bytes / 2, cache);
    }

    public long bytes() {
        return bytes;
    }

    Cache cache() {
        return cache;
    }

    WriteBufferManager writeBufferManager() {
        return writeBufferManager;
    }

    @Override
    public void close() {
        writeBufferManager.close();
        cache.close();
    }
}
