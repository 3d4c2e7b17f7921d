package io.ringflow.state.rocksdb;

import io.ringflow.state.StateException;
import io.ringflow.state.timers.TimerTable;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * A {@link TimerTable} on one RocksDB column family: keys only (values are empty), written in
 * one {@code WriteBatch} per commit, scanned with one iterator per scan. Checkpointed, dropped
 * and imported with the shard's other families of the same store.
 */
public final class RocksDbTimerTable extends ColumnFamilyStore implements TimerTable {

    private static final byte[] EMPTY = new byte[0];

    private final ColumnFamilyHandle family;
    /** The writes since the last commit; {@code null} when there are none. */
    private WriteBatch batch;

    public RocksDbTimerTable(RocksDbShard shard, String name) {
        super(shard, name);
        this.family = shard.family(name);
    }

    @Override
    public void put(byte[] key) {
        try {
            batch().put(family, key, EMPTY);
        } catch (RocksDBException e) {
            throw failure("write batch put", e);
        }
    }

    @Override
    public void delete(byte[] key) {
        try {
            batch().delete(family, key);
        } catch (RocksDBException e) {
            throw failure("write batch delete", e);
        }
    }

    private WriteBatch batch() {
        open();
        if (batch == null) {
            batch = new WriteBatch();
        }
        return batch;
    }

    @Override
    public void commit() {
        if (batch == null) {
            return;
        }
        try {
            open().db().write(shard.writeOptions(), batch);
        } catch (RocksDBException e) {
            throw failure("write batch", e);
        } finally {
            batch.close();
            batch = null;
        }
    }

    @Override
    public void scan(byte[] from, Visitor visitor) {
        try (RocksIterator iterator = open().db().newIterator(family, shard.readOptions())) {
            iterator.seek(from);
            while (iterator.isValid()) {
                if (!visitor.visit(iterator.key())) {
                    return;
                }
                iterator.next();
            }
            iterator.status();
        } catch (RocksDBException e) {
            throw new StateException("store '" + name + "': iteration failed: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] lastKey() {
        try (RocksIterator iterator = open().db().newIterator(family, shard.readOptions())) {
            iterator.seekToLast();
            if (iterator.isValid()) {
                return iterator.key();
            }
            iterator.status();
            return null;
        } catch (RocksDBException e) {
            throw new StateException("store '" + name + "': iteration failed: " + e.getMessage(), e);
        }
    }

    @Override
    public long approximateSize() {
        return estimateKeys(family);
    }

    @Override
    public void close() {
        if (batch != null) {
            batch.close(); // uncommitted writes are dropped: the store above commits before it closes
            batch = null;
        }
        super.close();
    }
}
