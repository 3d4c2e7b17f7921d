package io.ringflow.state.timers;

import io.ringflow.state.Serde;
import io.ringflow.state.StoreSerde;
import io.ringflow.state.TimerStore;
import java.util.Arrays;
import java.util.Objects;

/**
 * A {@link TimerStore} on a {@link TimerTable} (RocksDB or the heap), with a write buffer in
 * front and, in memory, only a lower bound of the earliest time it holds.
 *
 * <p>Adds and removes go to the buffer ({@link PendingTimers}): a registration costs no JNI
 * call, and a timer registered and deleted again before the buffer is written (a stale-quote
 * alarm moves its timer on every record) costs no write at all when it is later than anything
 * the table holds (the store keeps that bound too), else one deletion. The buffer is written in one
 * group when it holds {@code maxPending} changes, before every scan, on {@link #flush} and on
 * close.
 *
 * <p>A poll whose bound is before the lower bound returns at once: that is the watermark's
 * common case. Otherwise it writes the buffer if it holds a change at or before the bound (later
 * changes cannot alter what the scan reads), scans the table from the lower bound, taking
 * at most {@value #BATCH} due timers per scan, and hands them over one by one; a timer the
 * handler adds at or before the one it would hand over next, or a buffer written meanwhile,
 * ends the batch and the store scans again, so timers are handed over in order even when
 * handlers add them. Each scan starts just where the last handed-over timer was, so the
 * deletions it left behind (RocksDB tombstones until compaction) are not read again. A timer
 * handed over is deleted from the table at once, in one write group per scan.
 */
public final class BufferedTimerStore<K> implements TimerStore<K>, PendingTimers.Drain<K>, TimerTable.Visitor {

    /** Due timers read per scan: enough to amortize the seek, few enough to hold. */
    static final int BATCH = 256;

    private final String name;
    private final StoreSerde<K> keySerde;
    private final TimerTable table;
    private final int maxPending;
    private final PendingTimers<K> pending = new PendingTimers<>();
    /** No timer in the table is earlier than this. */
    private long storedLow = Long.MIN_VALUE;
    /** When not {@code null}: the table holds no timer ordered before this table key, whose time is {@link #storedLow}. */
    private byte[] seekFrom;
    /**
     * No timer in the table is later than this: a timer after it is surely not there, so when it
     * is added and removed again before the buffer is written, nothing is written at all.
     */
    private long storedHigh;
    /** Counts buffer writes, so a poll sees when a handler made one. */
    private long flushes;
    private boolean closed;

    // The scan in progress (held in fields: the store is its own visitor, and allocates no lambda per scan).
    private final long[] dueTimes = new long[BATCH];
    private final byte[][] dueKeys = new byte[BATCH][];
    private int dueCount;
    private long scanUpTo;
    private long nextAfterScan;

    /**
     * @param maxPending buffered changes that make the buffer be written (1: every change is
     *                   written at once)
     */
    public BufferedTimerStore(String name, Serde<K> keySerde, TimerTable table, int maxPending) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("timer store '" + name + "': maxPending must be >= 1, got " + maxPending);
        }
        this.name = name;
        this.keySerde = new StoreSerde<>(keySerde, name, "key");
        this.table = table;
        this.maxPending = maxPending;
        this.storedLow = firstStoredTime(); // timers restored from a checkpoint fire on the first watermark past them
        byte[] last = table.lastKey();
        this.storedHigh = last == null ? Long.MIN_VALUE : TimerKeys.time(last);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void add(long time, K key) {
        change(time, key, PendingTimers.ADDED);
    }

    @Override
    public void remove(long time, K key) {
        change(time, key, PendingTimers.REMOVED);
    }

    private void change(long time, K key, byte change) {
        checkOpen();
        Objects.requireNonNull(key, "a timer needs a key");
        keySerde.check(key); // a key no serde can write fails now, not when the buffer is written
        pending.set(time, key, change, time > storedHigh);
        if (pending.size() >= maxPending) {
            flush();
        }
    }

    @Override
    public int pollUpTo(long upTo, Expired<K> expired) {
        checkOpen();
        if (upTo < lowerBound()) {
            return 0;
        }
        int handedOver = 0;
        while (true) {
            // Only a change at or before the bound can alter what the scan reads; later ones (a
            // timer moved on by every record) stay buffered, and cost no write.
            if (pending.lowestChanged() <= upTo) {
                flush();
            }
            if (!scanDue(upTo)) {
                return handedOver;
            }
            handedOver += handOver(expired);
        }
    }

    /**
     * Reads up to {@value #BATCH} timers due by {@code upTo} from the table.
     *
     * @return whether any is due; if none, the lower bound becomes the exact earliest time
     */
    private boolean scanDue(long upTo) {
        dueCount = 0;
        scanUpTo = upTo;
        nextAfterScan = Long.MAX_VALUE;
        table.scan(seekFrom != null ? seekFrom : TimerKeys.first(storedLow), this);
        if (dueCount == 0) {
            storedLow = nextAfterScan;
            seekFrom = null;
            return false;
        }
        return true;
    }

    @Override
    public boolean visit(byte[] tableKey) {
        long time = TimerKeys.time(tableKey);
        if (time > scanUpTo) {
            nextAfterScan = time;
            return false;
        }
        dueTimes[dueCount] = time;
        dueKeys[dueCount] = tableKey;
        return ++dueCount < BATCH;
    }

    /** Hands over the scanned timers in order, until a handler's change means the table must be read again. */
    private int handOver(Expired<K> expired) {
        long generation = flushes;
        int handedOver = 0;
        boolean deleted = false;
        try {
            for (int i = 0; i < dueCount; i++) {
                long time = dueTimes[i];
                if (pending.lowestAdded() <= time || flushes != generation) {
                    break; // a handler added a timer that may come first, or wrote the buffer: read again
                }
                K key = keySerde.deserialize(TimerKeys.key(dueKeys[i]));
                storedLow = time;
                seekFrom = dueKeys[i];
                if (pending.changeOf(time, key) == PendingTimers.REMOVED) {
                    continue; // removed by the handler of an earlier timer
                }
                // Deleted from the table straight away, not through the buffer: a removal there
                // is at or before the bound, and would make the next poll write the whole buffer.
                table.delete(dueKeys[i]);
                deleted = true;
                expired.onTimer(time, key);
                handedOver++;
            }
        } finally {
            if (deleted) {
                table.commit();
            }
            Arrays.fill(dueKeys, 0, dueCount, null);
        }
        return handedOver;
    }

    @Override
    public long lowerBound() {
        return Math.min(storedLow, pending.lowestAdded());
    }

    @Override
    public long earliestTime() {
        checkOpen();
        flush();
        storedLow = firstStoredTime();
        seekFrom = null;
        return storedLow;
    }

    /** The time of the table's first timer from the lower bound on, or {@code Long.MAX_VALUE}. */
    private long firstStoredTime() {
        long[] first = {Long.MAX_VALUE};
        table.scan(seekFrom != null ? seekFrom : TimerKeys.first(storedLow), key -> {
            first[0] = TimerKeys.time(key);
            return false;
        });
        return first[0];
    }

    @Override
    public long approximateNumEntries() {
        checkOpen();
        flush();
        return table.approximateSize();
    }

    @Override
    public long estimatedEntries() {
        return table.approximateSize() + pending.size();
    }

    @Override
    public void flush() {
        if (pending.size() == 0) {
            return;
        }
        long lowestAdded = pending.lowestAdded();
        pending.drain(this);
        table.commit();
        flushes++;
        if (lowestAdded <= storedLow) {
            storedLow = lowestAdded;
            seekFrom = null;
        }
    }

    @Override
    public void accept(long time, K key, boolean added, boolean fresh) {
        if (fresh && !added) {
            return; // added and removed again, never written: a stale-quote alarm's common case
        }
        byte[] tableKey = TimerKeys.encode(time, keySerde.serialize(key));
        if (added) {
            table.put(tableKey);
            storedHigh = Math.max(storedHigh, time);
        } else {
            table.delete(tableKey);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closed = true;
            table.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("timer store '" + name + "' is closed");
        }
    }
}
