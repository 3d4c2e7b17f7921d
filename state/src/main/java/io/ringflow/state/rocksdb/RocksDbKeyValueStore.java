package io.ringflow.state.rocksdb;

import io.ringflow.state.Bytes;
import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.KeyValueStore;
import io.ringflow.state.Serde;
import io.ringflow.state.StoreEntry;
import io.ringflow.state.StoreSerde;
import java.util.List;
import java.util.function.Predicate;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * A {@link KeyValueStore} on one RocksDB column family. Every call crosses JNI and
 * (de)serializes: a read is one RocksDB get (memtable, then block cache, then disk), a write
 * one put into the memtable. Wrap it in a {@link io.ringflow.state.cache.CachingKeyValueStore}
 * to absorb hot keys.
 */
public final class RocksDbKeyValueStore<K, V> extends ColumnFamilyStore implements KeyValueStore<K, V> {

    private final ColumnFamilyHandle family;
    private final StoreSerde<K> keySerde;
    private final StoreSerde<V> valueSerde;

    public RocksDbKeyValueStore(RocksDbShard shard, String name, Serde<K> keySerde, Serde<V> valueSerde) {
        super(shard, name);
        this.family = shard.family(name);
        this.keySerde = new StoreSerde<>(keySerde, name, "key");
        this.valueSerde = new StoreSerde<>(valueSerde, name, "value");
    }

    /**
     * Refuses, as {@code put} would, a key or value its serdes can never write: the write-back
     * cache in front calls it on every put, before it keeps the entry for a later flush.
     */
    public void check(K key, V value) {
        keySerde.check(key);
        if (value != null) {
            valueSerde.check(value);
        }
    }

    @Override
    public V get(K key) {
        byte[] bytes;
        try {
            bytes = open().db().get(family, keySerde.serialize(key));
        } catch (RocksDBException e) {
            throw failure("get", e);
        }
        return bytes == null ? null : valueSerde.deserialize(bytes);
    }

    @Override
    public void put(K key, V value) {
        byte[] keyBytes = keySerde.serialize(key);
        try {
            if (value == null) {
                open().db().delete(family, shard.writeOptions(), keyBytes);
            } else {
                open().db().put(family, shard.writeOptions(), keyBytes, valueSerde.serialize(value));
            }
        } catch (RocksDBException e) {
            throw failure("put", e);
        }
    }

    /** Writes every entry (a {@code null} value deletes) in one atomic RocksDB write batch. */
    public void putAll(List<StoreEntry<K, V>> entries) {
        open();
        try (WriteBatch batch = new WriteBatch()) {
            for (StoreEntry<K, V> entry : entries) {
                byte[] keyBytes = keySerde.serialize(entry.key());
                if (entry.value() == null) {
                    batch.delete(family, keyBytes);
                } else {
                    batch.put(family, keyBytes, valueSerde.serialize(entry.value()));
                }
            }
            shard.db().write(shard.writeOptions(), batch);
        } catch (RocksDBException e) {
            throw failure("write batch", e);
        }
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        byte[] high = keySerde.serialize(to);
        return iterate(keySerde.serialize(from), key -> Bytes.compare(key, high) < 0);
    }

    @Override
    public KeyValueIterator<K, V> prefixScan(K prefix) {
        byte[] start = keySerde.serialize(prefix);
        return iterate(start, key -> Bytes.startsWith(key, start));
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return iterate(null, key -> true);
    }

    @Override
    public long approximateNumEntries() {
        return estimateKeys(family);
    }

    private KeyValueIterator<K, V> iterate(byte[] seek, Predicate<byte[]> inRange) {
        return new RocksDbIterator<>(name, open().db().newIterator(family, shard.readOptions()), seek) {
            @Override
            StoreEntry<K, V> decode(byte[] key, byte[] value) {
                if (!inRange.test(key)) {
                    throw End.INSTANCE;
                }
                return new StoreEntry<>(keySerde.deserialize(key), valueSerde.deserialize(value));
            }
        };
    }
}
