package io.ringflow.internal.keyedstate;

import io.ringflow.Materialized;
import io.ringflow.function.TimeDomain;
import io.ringflow.internal.operator.OperatorContext;
import io.ringflow.state.Bytes;
import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.KeyValueStore;
import io.ringflow.state.Serdes;
import io.ringflow.state.StoreEntry;
import io.ringflow.state.TimerStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One named state of one state partition on one shard: its store (bytes in
 * {@link StateLayout}'s layout) and, with a TTL, its cleanup timers, one per live entry at the
 * entry's expiry time, keyed by the entry's store key. A write moves the entry's timer, a delete
 * removes it, and when a timer fires the entry is deleted if it is still expired then. Nothing
 * here needs the user's serdes, so a state a restored run has not declared yet is cleaned too.
 */
final class StateTable {

    /** Suffixes of the cleanup timers' store, after the state's own: the clock is in the name. */
    static final String EVENT_CLEANUP = ".ttl-event";
    static final String PROCESSING_CLEANUP = ".ttl-processing";

    private static final int SEQUENCE_BYTES = 2 * Long.BYTES;

    final String suffix;
    /** Whether the state is a list, whose sequence entry counts its elements. */
    final boolean list;
    /** The clock of the cleanup timers; {@code null} for a state without a TTL. */
    final TimeDomain domain;
    private final KeyValueStore<StateKey, byte[]> store;
    private final TimerStore<StateKey> cleanup;
    private final TimerStore.Expired<StateKey> expireOne = this::expireOne;
    private long expiringUpTo;

    private StateTable(String suffix, boolean list, TimeDomain domain, KeyValueStore<StateKey, byte[]> store,
                       TimerStore<StateKey> cleanup) {
        this.suffix = suffix;
        this.list = list;
        this.domain = domain;
        this.store = store;
        this.cleanup = cleanup;
    }

    /** Opens the stores of the state whose store name ends in {@code suffix}, with what they hold. */
    static StateTable open(OperatorContext context, Materialized<?, ?> materialized, int partition, String suffix,
                           boolean list, TimeDomain domain) {
        KeyValueStore<StateKey, byte[]> store = context.keyValueStore(materialized, suffix, StateKey.SERDE,
                Serdes.byteArray(), partition);
        TimerStore<StateKey> cleanup = domain == null ? null : context.timerStore(materialized,
                suffix + cleanupSuffix(domain), StateKey.SERDE, partition);
        return new StateTable(suffix, list, domain, store, cleanup);
    }

    static String cleanupSuffix(TimeDomain domain) {
        return domain == TimeDomain.EVENT_TIME ? EVENT_CLEANUP : PROCESSING_CLEANUP;
    }

    /** The stored value (expiry, then value) of {@code entry}, expired or not; {@code null} if none. */
    byte[] stored(byte[] entry) {
        // A key of its own even for a read: the write-back cache keeps the key of what it reads.
        return store.get(new StateKey(entry));
    }

    /** The stored value of {@code entry} if it lives at {@code now}, else {@code null}. */
    byte[] live(byte[] entry, long now) {
        byte[] stored = stored(entry);
        return stored == null || StateLayout.expiry(stored) <= now ? null : stored;
    }

    /** Writes {@code stored} for {@code entry}, moving the entry's cleanup timer to its new expiry. */
    void put(byte[] entry, byte[] stored) {
        StateKey key = new StateKey(entry); // the store and the timer buffer keep it
        if (cleanup != null) {
            byte[] old = stored(entry);
            if (old != null) {
                unschedule(StateLayout.expiry(old), key);
            }
            schedule(StateLayout.expiry(stored), key);
        }
        store.put(key, stored);
    }

    /** Writes {@code stored} for {@code entry}, which the caller knows is not stored (a new list element). */
    void putNew(byte[] entry, byte[] stored) {
        StateKey key = new StateKey(entry);
        if (cleanup != null) {
            schedule(StateLayout.expiry(stored), key);
        }
        store.put(key, stored);
    }

    /** Deletes {@code entry} and its cleanup timer. */
    void delete(byte[] entry) {
        StateKey key = new StateKey(entry);
        byte[] old = store.delete(key);
        if (old != null && cleanup != null) {
            unschedule(StateLayout.expiry(old), key);
        }
    }

    private void schedule(long expiry, StateKey key) {
        if (expiry != StateLayout.NEVER) {
            cleanup.add(expiry, key);
        }
    }

    private void unschedule(long expiry, StateKey key) {
        if (expiry != StateLayout.NEVER) {
            cleanup.remove(expiry, key);
        }
    }

    /**
     * Every entry under {@code prefix} but the one at the prefix itself (a list's sequence),
     * expired or not, in store-key order; read before the caller changes any.
     */
    List<StoreEntry<StateKey, byte[]>> scan(byte[] prefix) {
        List<StoreEntry<StateKey, byte[]>> entries = new ArrayList<>();
        try (KeyValueIterator<StateKey, byte[]> it = store.prefixScan(new StateKey(prefix))) {
            while (it.hasNext()) {
                StoreEntry<StateKey, byte[]> entry = it.next();
                if (entry.key().bytes().length > prefix.length) {
                    entries.add(entry);
                }
            }
        }
        return entries;
    }

    /** Whether an entry under {@code prefix} (not the prefix itself) lives at {@code now}; stops at the first. */
    boolean anyLive(byte[] prefix, long now) {
        try (KeyValueIterator<StateKey, byte[]> it = store.prefixScan(new StateKey(prefix))) {
            while (it.hasNext()) {
                StoreEntry<StateKey, byte[]> entry = it.next();
                if (entry.key().bytes().length > prefix.length && StateLayout.expiry(entry.value()) > now) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A list's sequence entry, {@code null} if it has none: read it once, then take both numbers from it. */
    byte[] sequence(byte[] prefix) {
        return stored(prefix);
    }

    /** The next sequence number in a list's sequence entry (0 if it has none). */
    static long next(byte[] sequence) {
        return sequence == null ? 0 : Bytes.getLong(sequence, 0);
    }

    /** The elements stored, live or expired, by a list's sequence entry (0 if it has none). */
    static long elements(byte[] sequence) {
        return sequence == null ? 0 : Bytes.getLong(sequence, Long.BYTES);
    }

    /** Writes a list's sequence entry; a list with no element stored has none. */
    void writeSequence(byte[] prefix, long next, long elements) {
        if (elements == 0) {
            store.delete(new StateKey(prefix));
            return;
        }
        byte[] sequence = new byte[SEQUENCE_BYTES];
        Bytes.putLong(sequence, 0, next);
        Bytes.putLong(sequence, Long.BYTES, elements);
        store.put(new StateKey(prefix), sequence);
    }

    /** Deletes what expired up to {@code upTo} (the cleanup clock's time): nothing to do costs one comparison. */
    void expire(long upTo) {
        if (cleanup == null || upTo < cleanup.lowerBound()) {
            return;
        }
        expiringUpTo = upTo;
        cleanup.pollUpTo(upTo, expireOne);
    }

    private void expireOne(long time, StateKey key) {
        byte[] stored = store.get(key);
        if (stored == null || StateLayout.expiry(stored) > expiringUpTo) {
            return; // deleted or rewritten since, which removed or moved this timer: not expected, harmless
        }
        store.delete(key);
        if (list) {
            byte[] prefix = Arrays.copyOf(key.bytes(), StateLayout.prefixLength(key.bytes()));
            byte[] sequence = sequence(prefix);
            writeSequence(prefix, next(sequence), elements(sequence) - 1);
        }
    }

    void endOfBatch() {
        store.endOfBatch();
    }

    /** Writes both stores through and releases them, the timers even if the store fails. */
    void close() {
        try {
            store.close();
        } finally {
            if (cleanup != null) {
                cleanup.close();
            }
        }
    }
}
