package io.ringflow.state.rocksdb;

import io.ringflow.state.Bytes;
import io.ringflow.state.Serde;
import io.ringflow.state.StateException;
import io.ringflow.state.StoreSerde;
import io.ringflow.state.TimerStore;
import io.ringflow.state.VersionedStore;
import io.ringflow.state.timers.BufferedTimerStore;
import java.util.Arrays;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * A {@link VersionedStore} on two column families. In {@code <name>} one version is one entry,
 * keyed by {@code key length (4 bytes) + key bytes + validFrom (8 big-endian bytes, sign bit
 * flipped)}: a key's versions are adjacent and in time order (the length keeps a key's range
 * free of longer keys that start with its bytes), so a read is one {@code seekForPrev}. The
 * value is a tag byte (0: tombstone, 1: value) and the value's bytes. {@code <name>.expiry} is
 * a timer table of {@code (validFrom, key)}, one per version, from which {@link #expire} takes
 * the versions that became old, earliest first; it is checkpointed, dropped and imported with
 * the versions, as a family named after the store.
 */
public final class RocksDbVersionedStore<K, V> extends ColumnFamilyStore implements VersionedStore<K, V> {

    /** Suffix of the expiry index's family. */
    public static final String EXPIRY = ".expiry";
    private static final byte TOMBSTONE = 0;
    private static final byte VALUE = 1;
    private static final byte[] TOMBSTONE_BYTES = {TOMBSTONE};

    private final ColumnFamilyHandle versions;
    private final StoreSerde<K> keySerde;
    private final StoreSerde<V> valueSerde;
    private final TimerStore<K> expiry;
    /** The newest version of recently read keys; {@code null} with the cache off. */
    private final NewestVersions<K, V> newest;
    /**
     * The iterator reads seek with, kept open: a run of reads with no write between them (the
     * records one watermark advance releases) costs no iterator each. {@code null} until the
     * first read; {@link #stale} after a write, when the next read refreshes it to see the write.
     */
    private RocksIterator reader;
    private boolean stale;
    /** While {@link #expire} runs: its bound, and the iterator and batch every key's expiry shares. */
    private long expiring;
    private RocksIterator expiryReader;
    private WriteBatch expiryDeletes;
    private final TimerStore.Expired<K> expireKey = (validFrom, key) -> expireKey(key, validFrom, expiring);

    public RocksDbVersionedStore(RocksDbShard shard, String name, Serde<K> keySerde, Serde<V> valueSerde,
                                 int expiryBuffer) {
        super(shard, name);
        this.versions = shard.family(name);
        this.keySerde = new StoreSerde<>(keySerde, name, "key");
        this.valueSerde = new StoreSerde<>(valueSerde, name, "value");
        this.expiry = new BufferedTimerStore<>(name + EXPIRY, keySerde,
                new RocksDbTimerTable(shard, name + EXPIRY), Math.max(1, expiryBuffer));
        this.newest = expiryBuffer > 0 ? new NewestVersions<>(expiryBuffer) : null;
    }

    @Override
    public void put(K key, V value, long validFrom) {
        byte[] prefix = prefix(key);
        byte[] encoded;
        if (value == null) {
            encoded = TOMBSTONE_BYTES;
        } else {
            byte[] bytes = valueSerde.serialize(value);
            encoded = new byte[bytes.length + 1];
            encoded[0] = VALUE;
            System.arraycopy(bytes, 0, encoded, 1, bytes.length);
        }
        try {
            open().db().put(versions, shard.writeOptions(), versionKey(prefix, validFrom), encoded);
        } catch (RocksDBException e) {
            throw failure("put", e);
        }
        stale = true;
        expiry.add(validFrom, key);
        NewestVersions.Newest<V> held = newest == null ? null : newest.of(key);
        if (held != null) {
            NewestVersions.put(held, validFrom, value);
        }
    }

    @Override
    public V get(K key, long asOf) {
        NewestVersions.Newest<V> held = newest == null ? null : newest.of(key);
        if (held != null && asOf >= held.time) {
            return held.tombstone ? null : held.value;
        }
        byte[] prefix = prefix(key);
        try {
            RocksIterator iterator = reader();
            iterator.seekForPrev(versionKey(prefix, asOf));
            if (!iterator.isValid()) {
                iterator.status();
                return null;
            }
            if (!Bytes.startsWith(iterator.key(), prefix)) {
                return null; // the key has no version at or before asOf
            }
            V value = decode(iterator.value());
            if (newest != null && held == null) {
                holdNewest(key, prefix, iterator, value);
            }
            return value;
        } catch (RocksDBException e) {
            throw new StateException("store '" + name + "': seek failed: " + e.getMessage(), e);
        }
    }

    private V decode(byte[] encoded) {
        if (encoded[0] == TOMBSTONE) {
            return null;
        }
        return valueSerde.deserialize(Arrays.copyOfRange(encoded, 1, encoded.length));
    }

    /**
     * Keeps {@code key}'s newest version in {@link #newest}, the iterator standing on the version
     * a read found ({@code found}): that one when nothing of the key follows it, else the key's last.
     */
    private void holdNewest(K key, byte[] prefix, RocksIterator iterator, V found) throws RocksDBException {
        byte[] at = iterator.key();
        iterator.next();
        if (iterator.isValid() && Bytes.startsWith(iterator.key(), prefix)) {
            iterator.seekForPrev(versionKey(prefix, Long.MAX_VALUE));
            at = iterator.key();
            found = decode(iterator.value());
        }
        iterator.status();
        newest.found(key, Bytes.getLong(at, at.length - Long.BYTES) ^ Long.MIN_VALUE, found, found == null);
    }

    private RocksIterator reader() throws RocksDBException {
        if (reader == null) {
            reader = open().db().newIterator(versions, shard.readOptions());
        } else if (stale) {
            open();
            reader.refresh();
        }
        stale = false;
        return reader;
    }

    @Override
    public void expire(long bound) {
        if (bound < expiry.lowerBound()) {
            return;
        }
        expiring = bound;
        try (RocksIterator iterator = open().db().newIterator(versions, shard.readOptions());
             WriteBatch batch = new WriteBatch()) {
            expiryReader = iterator;
            expiryDeletes = batch;
            expiry.pollUpTo(bound, expireKey);
            if (batch.count() > 0) {
                open().db().write(shard.writeOptions(), batch);
                stale = true;
            }
        } catch (RocksDBException e) {
            throw failure("expiry", e);
        } finally {
            expiryReader = null;
            expiryDeletes = null;
        }
    }

    /**
     * Adds to the expiry's batch what version {@code validFrom} of {@code key}, now at or before
     * {@code bound}, makes old: the version before it, which it supersedes, and itself if a
     * version after it is at or before the bound too, or if it is a tombstone (then the oldest
     * left: absent reads the same). Each version's own expiry removed the one before it, so a
     * key has at most one older version alive, and no read steps over the key's deleted
     * versions: RocksDB keeps them as tombstones until compaction, and a scan from the key's
     * first entry would walk all of them (a seek there cost a third of the join's time).
     */
    private void expireKey(K key, long validFrom, long bound) {
        byte[] prefix = prefix(key);
        NewestVersions.Newest<V> held = newest == null ? null : newest.of(key);
        RocksIterator iterator = expiryReader;
        try {
            if (held != null && held.time == validFrom && held.previousKnown) {
                // The key's newest version: nothing supersedes it, and the one before it is known.
                expiryDeletes.delete(versions, versionKey(prefix, held.previous));
                held.previousKnown = false;
                if (held.tombstone) {
                    expiryDeletes.delete(versions, versionKey(prefix, validFrom));
                }
                return;
            }
            iterator.seekForPrev(versionKey(prefix, validFrom));
            if (!iterator.isValid() || !Bytes.startsWith(iterator.key(), prefix)) {
                iterator.status();
                return; // nothing of the key at or before it is left
            }
            byte[] version = iterator.key();
            long time = Bytes.getLong(version, version.length - Long.BYTES) ^ Long.MIN_VALUE;
            boolean tombstone = iterator.value()[0] == TOMBSTONE;
            iterator.prev();
            if (iterator.isValid() && Bytes.startsWith(iterator.key(), prefix)) {
                expiryDeletes.delete(versions, iterator.key());
            }
            boolean superseded = false;
            if (time < bound) {
                iterator.seek(versionKey(prefix, time + 1));
                superseded = iterator.isValid() && Bytes.startsWith(iterator.key(), prefix)
                        && Bytes.compare(iterator.key(), versionKey(prefix, bound)) <= 0;
            }
            iterator.status();
            if (superseded || tombstone) {
                expiryDeletes.delete(versions, version);
            }
        } catch (RocksDBException e) {
            throw failure("expiry", e);
        }
    }

    private byte[] prefix(K key) {
        byte[] bytes = keySerde.serialize(key);
        byte[] prefix = new byte[Integer.BYTES + bytes.length];
        prefix[0] = (byte) (bytes.length >>> 24);
        prefix[1] = (byte) (bytes.length >>> 16);
        prefix[2] = (byte) (bytes.length >>> 8);
        prefix[3] = (byte) bytes.length;
        System.arraycopy(bytes, 0, prefix, Integer.BYTES, bytes.length);
        return prefix;
    }

    private static byte[] versionKey(byte[] prefix, long validFrom) {
        return Bytes.withLong(prefix, validFrom ^ Long.MIN_VALUE);
    }

    @Override
    public long approximateNumEntries() {
        return estimateKeys(versions);
    }

    @Override
    public void flush() {
        expiry.flush();
    }

    @Override
    public void close() {
        try {
            expiry.close();
        } finally {
            if (reader != null) {
                reader.close(); // before the shard drops or closes the family it reads
                reader = null;
            }
            super.close();
        }
    }
}
