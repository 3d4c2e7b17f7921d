package io.ringflow.state.timers;

/**
 * Where a {@link BufferedTimerStore} keeps its timers: a set of byte keys in unsigned byte order,
 * written in groups and read by ordered scans. A RocksDB column family, or a sorted set on the
 * heap. Used by one shard's thread only.
 */
public interface TimerTable extends AutoCloseable {

    /** Adds {@code key} to the group of writes {@link #commit} applies. */
    void put(byte[] key);

    /** Adds the deletion of {@code key} (present or not) to the group of writes {@link #commit} applies. */
    void delete(byte[] key);

    /** Applies the writes since the last commit, together. */
    void commit();

    /**
     * Hands {@code visitor} each key at or after {@code from}, in order, until it returns
     * {@code false} or the keys run out. The visitor must not write to the table.
     */
    void scan(byte[] from, Visitor visitor);

    /** The greatest key, or {@code null} when the table is empty. */
    byte[] lastKey();

    /** Number of keys: exact on the heap, RocksDB's estimate otherwise. */
    long approximateSize();

    /** Releases the table; its keys stay where they are kept (RocksDB) or are gone (heap). */
    @Override
    void close();

    /** Receives the keys of a {@link #scan}. */
    @FunctionalInterface
    interface Visitor {
        /** @return whether to go on to the next key */
        boolean visit(byte[] key);
    }
}
