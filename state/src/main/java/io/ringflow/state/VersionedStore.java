package io.ringflow.state;

/**
 * Keyed state with history: each key has versions, each valid from its {@code validFrom} time
 * until the next version of the key, so a read asks for the value as of a time rather than the
 * latest one (Kafka Streams' versioned key-value store, KIP-889). A {@code null} value is a
 * tombstone: from its time on the key has no value.
 *
 * <p>History is bounded by {@link #expire}: versions that no read at or after a bound can see
 * are deleted, and the version that is valid at the bound stays, however old it is. Owned by
 * one shard's thread, as every store; no locks.
 *
 * @param <K> key type; must implement {@code equals} and {@code hashCode} consistently with its serde
 * @param <V> value type
 */
public interface VersionedStore<K, V> extends AutoCloseable {

    /** The store's name, unique within its shard. */
    String name();

    /**
     * Adds the version of {@code key} valid from {@code validFrom}; one already there at the same
     * time is replaced. Versions may arrive in any order of time. Cost in RocksDB: one write of
     * the version and a buffered write to the expiry index; no read.
     */
    void put(K key, V value, long validFrom);

    /**
     * The value of {@code key}'s version with the greatest {@code validFrom <= asOf}, or
     * {@code null} when there is none or it is a tombstone. Exact for every {@code asOf} at or
     * after the last {@link #expire} bound. Cost in RocksDB: one {@code seekForPrev}.
     */
    V get(K key, long asOf);

    /**
     * Deletes what no {@link #get} at {@code asOf >= bound} can return: of each key, every
     * version older than the one valid at {@code bound}, and that one too when it is a tombstone.
     * Cost: one comparison when no version is older than {@code bound}; otherwise, per version
     * that became old, in RocksDB two seeks around it and a delete of what it supersedes. Each
     * version is looked at once by expiry, so the cost is amortised per put.
     */
    void expire(long bound);

    /** Number of versions held, tombstones included: exact on the heap, RocksDB's estimate otherwise. */
    long approximateNumEntries();

    /** Writes every buffered change through, now: before a checkpoint, and on close. */
    void flush();

    /** Flushes and releases the store; using it afterwards fails. */
    @Override
    void close();
}
