package io.ringflow.internal.metrics;

import java.util.function.LongSupplier;

/**
 * A store's size as last counted by its own shard's thread, for the {@code ringflow.state.entries}
 * gauge. Counting can flush a write-back cache and must not touch a store another thread is
 * changing (or RocksDB after close), so the scrape never asks the store: the shard recounts
 * every {@value #RECOUNT_EVERY} writes and on flush.
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
