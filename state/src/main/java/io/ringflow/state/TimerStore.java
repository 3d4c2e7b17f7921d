package io.ringflow.state;

/**
 * The timers of one shard of one keyed operator: a set of (time, key) pairs, ordered by time
 * and then by the key's serialized bytes (unsigned), from which the due ones are taken
 * earliest first. A pair is in the set or not: adding it twice keeps one timer.
 *
 * <p>Like every store, owned by one shard's thread and never used concurrently. Implementations
 * buffer adds and removes in memory and write them to their table together (one RocksDB write
 * batch), before a poll reads the table, before a checkpoint ({@link #flush}) and on close.
 *
 * @param <K> key type; must implement {@code equals} and {@code hashCode} consistently with its serde
 */
public interface TimerStore<K> extends AutoCloseable {

    /** The store's name, unique within its shard; it names the store in errors and metrics. */
    String name();

    /**
     * Adds the timer ({@code time}, {@code key}); nothing changes if it is there already.
     * Cost: one hash-table insert in the write buffer, no allocation once the buffer has grown,
     * and no RocksDB call until the buffer is written.
     */
    void add(long time, K key);

    /** Removes the timer ({@code time}, {@code key}) if there is one. Cost: as {@link #add}. */
    void remove(long time, K key);

    /**
     * Removes each timer whose time is at most {@code upTo} and hands it to {@code expired},
     * earliest first, ties in the order of the keys' serialized bytes. Timers {@code expired}
     * adds at or before {@code upTo} are handed over in the same call, in order with those still
     * due; timers it removes are not handed over. So a handler that adds the timer it was just
     * given, at a time not after {@code upTo}, never lets the call end.
     *
     * <p>Cost: one comparison when nothing can be due (the store keeps a lower bound of its
     * earliest time); otherwise it writes its buffer and reads the due timers with one ordered
     * scan per few hundred timers, never the whole table.
     *
     * @return how many timers were handed over
     */
    int pollUpTo(long upTo, Expired<K> expired);

    /**
     * No timer is earlier than this: the bound {@link #pollUpTo} compares with, kept in memory.
     * It may be lower than the earliest timer (after removals); {@code Long.MAX_VALUE} when the
     * store is known to be empty. Cost: a comparison.
     */
    long lowerBound();

    /**
     * The earliest time of any timer, or {@code Long.MAX_VALUE} if there is none. Exact: writes
     * the buffer and reads the first entry of the table.
     */
    long earliestTime();

    /** Number of timers held: writes the buffer first; exact on the heap, an estimate in RocksDB. */
    long approximateNumEntries();

    /**
     * Like {@link #approximateNumEntries()} but never writes anything, so it is cheap enough for
     * a metrics gauge: counts buffered changes as timers. Exact on the heap right after a poll
     * that handed any timer over.
     */
    long estimatedEntries();

    /** Writes every buffered change through to the table, now: before a checkpoint, and on close. */
    void flush();

    /** Flushes and releases the store; using it afterwards fails. */
    @Override
    void close();

    /** Receives each due timer from {@link #pollUpTo}; it may add and remove timers of the same store. */
    @FunctionalInterface
    interface Expired<K> {
        void onTimer(long time, K key);
    }
}
