package io.ringflow.state.rocksdb;

import io.ringflow.state.Bytes;
import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.Serde;
import io.ringflow.state.StoreEntry;
import io.ringflow.state.StoreSerde;
import io.ringflow.state.WindowStore;
import io.ringflow.state.WindowedKey;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.rocksdb.AbstractNativeReference;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;

/**
 * A {@link WindowStore} on two column families. The primary one is keyed by
 * {@code key bytes + window start}, so one key's windows are one range scan; the
 * {@code <name>.by-start} index is keyed by {@code window start + key bytes}, so windows of
 * every key can be visited, and dropped, in time order. Window starts are written as 8
 * big-endian bytes with the sign bit flipped, so that negative times sort first.
 */
public final class RocksDbWindowStore<K, V> extends ColumnFamilyStore implements WindowStore<K, V> {

    private static final byte[] EMPTY = new byte[0];

    private final ColumnFamilyHandle windows;
    private final ColumnFamilyHandle byStart;
    private final StoreSerde<K> keySerde;
    private final StoreSerde<V> valueSerde;
    /**
     * Every window starting before this has been deleted. Deleted keys stay in RocksDB as
     * tombstones until compaction; scans by start begin here instead of at the first key, so
     * they do not walk over the tombstones of every window ever closed.
     */
    private long deletedBefore = Long.MIN_VALUE;

    public RocksDbWindowStore(RocksDbShard shard, String name, Serde<K> keySerde, Serde<V> valueSerde) {
        super(shard, name);
        this.windows = shard.family(name);
        this.byStart = shard.family(name + ".by-start");
        this.keySerde = new StoreSerde<>(keySerde, name, "key");
        this.valueSerde = new StoreSerde<>(valueSerde, name, "value");
    }

    /** Refuses, as {@code put} would, a key or value its serdes can never write (see the caching store). */
    public void check(K key, V value) {
        keySerde.check(key);
        if (value != null) {
            valueSerde.check(value);
        }
    }

    @Override
    public void put(K key, long windowStart, V value) {
        byte[] keyBytes = keySerde.serialize(key);
        byte[] primary = Bytes.withLong(keyBytes, sortable(windowStart));
        byte[] index = Bytes.longThen(sortable(windowStart), keyBytes);
        open();
        try (WriteBatch batch = new WriteBatch()) {
            if (value == null) {
                batch.delete(windows, primary);
                batch.delete(byStart, index);
            } else {
                batch.put(windows, primary, valueSerde.serialize(value));
                batch.put(byStart, index, EMPTY);
            }
            shard.db().write(shard.writeOptions(), batch);
        } catch (RocksDBException e) {
            throw failure("put", e);
        }
    }

    /** Writes every entry (a {@code null} value deletes that window) in one atomic RocksDB write batch. */
    public void putAll(List<StoreEntry<WindowedKey<K>, V>> entries) {
        open();
        try (WriteBatch batch = new WriteBatch()) {
            for (StoreEntry<WindowedKey<K>, V> entry : entries) {
                byte[] keyBytes = keySerde.serialize(entry.key().key());
                long start = sortable(entry.key().windowStart());
                if (entry.value() == null) {
                    batch.delete(windows, Bytes.withLong(keyBytes, start));
                    batch.delete(byStart, Bytes.longThen(start, keyBytes));
                } else {
                    batch.put(windows, Bytes.withLong(keyBytes, start), valueSerde.serialize(entry.value()));
                    batch.put(byStart, Bytes.longThen(start, keyBytes), EMPTY);
                }
            }
            shard.db().write(shard.writeOptions(), batch);
        } catch (RocksDBException e) {
            throw failure("write batch", e);
        }
    }

    @Override
    public V fetch(K key, long windowStart) {
        byte[] bytes;
        try {
            bytes = open().db().get(windows, Bytes.withLong(keySerde.serialize(key), sortable(windowStart)));
        } catch (RocksDBException e) {
            throw failure("get", e);
        }
        return bytes == null ? null : valueSerde.deserialize(bytes);
    }

    /**
     * One key's windows in the range, read with an upper bound RocksDB keeps itself, just past
     * the range: an iterator stepping past the range's last live entry would otherwise step
     * over every deleted entry up to the next live one, which for sessions is the whole closed
     * history of the next key.
     */
    @Override
    public KeyValueIterator<Long, V> fetch(K key, long timeFrom, long timeTo) {
        RocksDB db = open().db();
        byte[] keyBytes = keySerde.serialize(key);
        int length = keyBytes.length + Long.BYTES;
        // Just past (key, timeTo): the same bytes followed by one zero byte.
        byte[] end = Arrays.copyOf(Bytes.withLong(keyBytes, sortable(timeTo)), length + 1);
        Slice upperBound = new Slice(end);
        ReadOptions bounded = new ReadOptions().setIterateUpperBound(upperBound);
        RocksIterator iterator = db.newIterator(windows, bounded);
        return new RocksDbIterator<>(name, iterator, Bytes.withLong(keyBytes, sortable(timeFrom)), bounded, upperBound) {
            @Override
            StoreEntry<Long, V> decode(byte[] raw, byte[] value) {
                if (!Bytes.startsWith(raw, keyBytes)) {
                    throw End.INSTANCE;
                }
                if (raw.length != length) {
                    return null; // a longer key that starts with the same bytes
                }
                long start = Bytes.getLong(raw, keyBytes.length) ^ Long.MIN_VALUE;
                if (start > timeTo) {
                    throw End.INSTANCE;
                }
                return new StoreEntry<>(start, valueSerde.deserialize(value));
            }
        };
    }

    /** {@code key} as this store writes it: fetchAll orders one start's windows by these bytes, unsigned. */
    public byte[] keyBytes(K key) {
        return keySerde.serialize(key);
    }

    /** Bounded like {@link #fetch(Object, long, long)}, just past the last start in the range. */
    @Override
    public KeyValueIterator<WindowedKey<K>, V> fetchAll(long timeFrom, long timeTo) {
        RocksDB db = open().db();
        byte[] end = Bytes.prefixEnd(Bytes.withLong(EMPTY, sortable(timeTo)));
        Slice upperBound = end == null ? null : new Slice(end);
        ReadOptions bounded = new ReadOptions();
        if (upperBound != null) {
            bounded.setIterateUpperBound(upperBound);
        }
        RocksIterator iterator = db.newIterator(byStart, bounded);
        long from = Math.max(timeFrom, deletedBefore);
        AbstractNativeReference[] owned = upperBound == null ? new AbstractNativeReference[] {bounded}
                : new AbstractNativeReference[] {bounded, upperBound};
        return new RocksDbIterator<>(name, iterator, Bytes.withLong(EMPTY, sortable(from)), owned) {
            @Override
            StoreEntry<WindowedKey<K>, V> decode(byte[] raw, byte[] ignored) {
                long start = Bytes.getLong(raw, 0) ^ Long.MIN_VALUE;
                if (start > timeTo) {
                    throw End.INSTANCE;
                }
                byte[] keyBytes = Arrays.copyOfRange(raw, Long.BYTES, raw.length);
                byte[] value;
                try {
                    value = shard.db().get(windows, Bytes.withLong(keyBytes, sortable(start)));
                } catch (RocksDBException e) {
                    throw failure("get", e);
                }
                if (value == null) {
                    return null;
                }
                return new StoreEntry<>(new WindowedKey<>(keySerde.deserialize(keyBytes), start),
                        valueSerde.deserialize(value));
            }
        };
    }

    @Override
    public void deleteOlderThan(long time) {
        open();
        try (RocksIterator iterator = shard.db().newIterator(byStart, shard.readOptions());
             WriteBatch batch = new WriteBatch()) {
            for (iterator.seek(Bytes.withLong(EMPTY, sortable(deletedBefore))); iterator.isValid(); iterator.next()) {
                byte[] raw = iterator.key();
                long start = Bytes.getLong(raw, 0) ^ Long.MIN_VALUE;
                if (start >= time) {
                    break;
                }
                byte[] keyBytes = Arrays.copyOfRange(raw, Long.BYTES, raw.length);
                batch.delete(windows, Bytes.withLong(keyBytes, sortable(start)));
                batch.delete(byStart, raw);
            }
            iterator.status();
            if (batch.count() > 0) {
                shard.db().write(shard.writeOptions(), batch);
            }
            deletedBefore = Math.max(deletedBefore, time);
        } catch (RocksDBException e) {
            throw failure("delete", e);
        }
    }

    /**
     * The latest window start RocksDB holds, or empty when it holds no window: one seek to the
     * end of the by-start index. A cache in front uses it to know that a window starting later
     * was never written, without a read per new window.
     */
    public OptionalLong lastStart() {
        try (RocksIterator iterator = open().db().newIterator(byStart, shard.readOptions())) {
            iterator.seekToLast();
            if (!iterator.isValid()) {
                iterator.status();
                return OptionalLong.empty();
            }
            return OptionalLong.of(Bytes.getLong(iterator.key(), 0) ^ Long.MIN_VALUE);
        } catch (RocksDBException e) {
            throw failure("seek", e);
        }
    }

    @Override
    public long approximateNumEntries() {
        return estimateKeys(windows);
    }

    private static long sortable(long time) {
        return time ^ Long.MIN_VALUE;
    }
}
