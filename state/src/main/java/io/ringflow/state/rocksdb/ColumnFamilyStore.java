package io.ringflow.state.rocksdb;

import io.ringflow.state.StateException;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;

/**
 * What every RocksDB store of a shard shares: its name, its shard's database, the closed
 * flag, and errors that name the store and the directory.
 */
abstract class ColumnFamilyStore {

    protected final String name;
    protected final RocksDbShard shard;
    private boolean closed;

    ColumnFamilyStore(RocksDbShard shard, String name) {
        this.shard = shard;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Marks the store closed; its data stays in the column family, and the shard closes the database. */
    public void close() {
        closed = true;
    }

    /** The shard, after checking the store is still open. */
    protected RocksDbShard open() {
        if (closed) {
            throw new IllegalStateException("state store '" + name + "' is closed");
        }
        return shard;
    }

    /** RocksDB's estimate of the keys in {@code family}: memtables and files, less deletions. */
    protected long estimateKeys(ColumnFamilyHandle family) {
        try {
            return open().db().getLongProperty(family, "rocksdb.estimate-num-keys");
        } catch (RocksDBException e) {
            throw failure("count", e);
        }
    }

    protected StateException failure(String operation, RocksDBException e) {
        return new StateException("store '" + name + "': RocksDB " + operation + " failed in "
                + shard.directory() + ": " + e.getMessage(), e);
    }
}
