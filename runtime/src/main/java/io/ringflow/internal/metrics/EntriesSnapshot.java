package io.ringflow.internal.metrics;

import java.util.function.LongSupplier;

/**
 * A store's size as last estimated by its own shard's thread, for the
 * {@code ringflow.state.entries} gauge. A scrape must not touch a store another thread is
 * changing (or RocksDB after close), so it never asks the store: the shard re-estimates (with
 * {@code estimatedEntries()}, which never flushes a cache) every {@value #RECOUNT_EVERY}
 * writes and on flush.
 */
final class EntriesSnapshot {

    static final int RECOUNT_EVERY = 1 << 16;
    private static final int MASK = RECOUNT_EVERY - 1;

    private final LongSupplier count;
    private volatile long entries;
    private int writes;

    EntriesSnapshot(LongSupplier count) {
        this.count = count;
    }

    /** Shard thread, after each write. */
    void written() {
        if ((++writes & MASK) == 0) {
            recount();
        }
    }

    /** Shard thread. */
    void recount() {
        entries = count.getAsLong();
    }

    /** Any thread. */
    long entries() {
        return entries;
    }
}
