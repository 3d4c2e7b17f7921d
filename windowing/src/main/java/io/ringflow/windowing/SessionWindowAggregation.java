package io.ringflow.windowing;

import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.StoreEntry;
import io.ringflow.state.WindowStore;
import io.ringflow.state.WindowedKey;
import io.ringflow.watermark.Watermarks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Windowed aggregation over session windows. A record's own window is
 * {@code [timestamp, timestamp + gap)}; it joins every session of its key that window
 * overlaps: their aggregates are combined with the merger, in start order (only when there
 * are two or more), and the record is added to the result. A session {@code [start, end)}
 * ends at its last timestamp + gap and is closed when {@code watermark >= end + grace}; its
 * state is then deleted.
 *
 * <p>Cost: per record, one range read of the key's sessions that start between a lower bound
 * and the record's own window end, and a put (two or more when it merges); per watermark
 * that closes something, one read of every key's sessions that start between the same bound
 * and the last start that can have closed. The bound is the earliest start of any session in
 * the store, moved forward as sessions close, so neither read walks the sessions a key closed
 * long ago (on RocksDB those stay behind as tombstones until compaction, and a read from
 * {@code Long.MIN_VALUE} walked every one of them). It costs one read of the store's first
 * session, on the first record or watermark after the aggregation is made. One bound serves
 * every key, so a session that stays open for long holds it back: reads on RocksDB then step
 * over the tombstones of sessions closed since that one began, until compaction drops them
 * (behind the write-back cache a key's reads come from memory, whatever the bound).
 *
 * <p>Lateness is judged on the session the record would make, as in Flink (the merged window)
 * and Kafka Streams (the merged session): its own window merged with every session it
 * overlaps. A record is late only when that merged session is already closed, so a record
 * older than its own gap before the watermark still counts when it falls inside a session
 * that is open. A late record changes nothing and no merger is called for it.
 *
 * <p>Closed sessions are deleted when the watermark closes them, so a record that would
 * have touched one starts a new session rather than reopening a final result.
 *
 * <p>Event time {@code Long.MIN_VALUE} (the watermark's "none yet") and a timestamp whose
 * {@code timestamp + gap} would pass {@code Long.MAX_VALUE} fit no session: {@link #onRecord}
 * throws {@link IllegalArgumentException} for them, before any state changes, and the runtime
 * hands the record to the error handler. An {@code end + grace} past {@code Long.MAX_VALUE}
 * saturates: that session closes at the end of input.
 */
public final class SessionWindowAggregation<K, V, A> implements WindowedAggregation<K, V, A> {

    private final SessionWindows sessions;
    private final EmitStrategy emit;
    private final WindowStore<K, SessionState<A>> store;
    private final Aggregate<K, V, A> aggregate;
    private final Results<K, A> results;
    private final LateRecords<K, V> late;
    /** Starts of the sessions the current record joins, in start order; reused, grown when needed. */
    private long[] joinedStarts = new long[4];
    /** Their ends, in the same order. */
    private long[] joinedEnds = new long[4];
    /** Their aggregates, in the same order; cleared after each record. */
    private final List<A> joinedAggregates = new ArrayList<>();
    private final Set<WindowedKey<K>> dirty = new LinkedHashSet<>();
    private long nextEmitAt = Long.MIN_VALUE;
    /** No live session closes before the watermark reaches this: until then a watermark costs nothing. */
    private long nextCloseAt = Long.MIN_VALUE;
    /**
     * No session in the store, of any key, starts before this ({@code Long.MAX_VALUE}: the store
     * is empty); read from the store on first use ({@link #earliestKnown}), lowered by every put,
     * raised as sessions close. Every read starts here, above the sessions deleted long ago.
     */
    private long earliestStart;
    private boolean earliestKnown;
    /** The sessions the current watermark closes, deleted after the scan; reused. */
    private final List<WindowedKey<K>> closed = new ArrayList<>();

    public SessionWindowAggregation(SessionWindows sessions, EmitStrategy emit, WindowStore<K, SessionState<A>> store,
                                    Aggregate<K, V, A> aggregate, Results<K, A> results, LateRecords<K, V> late) {
        this.sessions = sessions;
        this.emit = emit;
        this.store = store;
        this.aggregate = aggregate;
        this.results = results;
        this.late = late;
    }

    @Override
    public boolean onRecord(K key, V value, long timestamp, long watermark) throws Exception {
        EventTimes.requireNotNone(timestamp);
        long gap = sessions.gapMillis();
        long grace = sessions.graceMillis();
        long ownEnd = timestamp + gap;
        if (ownEnd < timestamp) {
            throw EventTimes.fitsNoWindow(timestamp, "session with gap " + gap + " ms", EventTimes.ENDS_AFTER_MAX);
        }
        long start = timestamp;
        long end = ownEnd;
        try {
            int joined = joinOverlapping(key, timestamp, watermark);
            for (int i = 0; i < joined; i++) {
                start = Math.min(start, joinedStarts[i]);
                end = Math.max(end, joinedEnds[i]);
            }
            // Late only if the session this record would make, merged with its neighbours, is closed.
            if (EventTimes.isClosed(end, grace, watermark)) {
                late.late(key, value, timestamp);
                return false;
            }
            A merged = null;
            for (int i = 0; i < joined; i++) {
                A next = joinedAggregates.get(i);
                merged = merged == null ? next : aggregate.merge(key, merged, next);
            }
            A result = aggregate.add(key, value, merged == null ? aggregate.initial() : merged);
            for (int i = 0; i < joined; i++) {
                store.put(key, joinedStarts[i], null);
            }
            store.put(key, start, new SessionState<>(end, result));
            earliestStart = Math.min(earliestStart, start);
            nextCloseAt = Math.min(nextCloseAt, EventTimes.closesAt(end, grace));
            if (emit instanceof EmitStrategy.OnEveryUpdate) {
                results.emit(key, new Window(start, end), result, end - 1);
            } else if (emit instanceof EmitStrategy.EveryInterval) {
                dirty.add(new WindowedKey<>(key, start));
            }
            return true;
        } finally {
            joinedAggregates.clear();
        }
    }

    /**
     * Finds the sessions of {@code key} that a record at {@code timestamp} joins: those starting
     * before its own window ends and ending after it starts, that its watermark has not closed.
     * Fills {@link #joinedStarts}, {@link #joinedEnds} and {@link #joinedAggregates} in start
     * order and returns how many.
     */
    private int joinOverlapping(K key, long timestamp, long watermark) {
        long grace = sessions.graceMillis();
        int joined = 0;
        try (KeyValueIterator<Long, SessionState<A>> candidates =
                     store.fetch(key, earliestStart(), timestamp + sessions.gapMillis() - 1)) {
            while (candidates.hasNext()) {
                StoreEntry<Long, SessionState<A>> session = candidates.next();
                long sessionEnd = session.value().end();
                // A session the record's watermark has closed is not joined, though this shard,
                // whose watermark may lag the record's at parallelism > 1, has not emitted it yet:
                // it would have been emitted and gone before the record in the sequential order.
                if (sessionEnd > timestamp && !EventTimes.isClosed(sessionEnd, grace, watermark)) {
                    if (joined == joinedStarts.length) {
                        joinedStarts = Arrays.copyOf(joinedStarts, joined * 2);
                        joinedEnds = Arrays.copyOf(joinedEnds, joined * 2);
                    }
                    joinedStarts[joined] = session.key();
                    joinedEnds[joined++] = sessionEnd;
                    joinedAggregates.add(session.value().aggregate());
                }
            }
        }
        return joined;
    }

    /**
     * The earliest start of any session in the store. The first call reads it: after a restart
     * or a partition move the store holds sessions this object never put.
     */
    private long earliestStart() {
        if (!earliestKnown) {
            try (KeyValueIterator<WindowedKey<K>, SessionState<A>> all = store.fetchAll(Long.MIN_VALUE, Long.MAX_VALUE)) {
                earliestStart = all.hasNext() ? all.next().key().windowStart() : Long.MAX_VALUE;
            }
            earliestKnown = true;
        }
        return earliestStart;
    }

    @Override
    public void onWatermark(long watermark) {
        if (watermark == Watermarks.NONE) {
            return;
        }
        if (watermark < nextCloseAt) {
            return;
        }
        long grace = sessions.graceMillis();
        // A session [start, end) closes when watermark >= end + grace, and ends at least gap
        // after it starts, so only those starting by watermark - grace - gap can be closed; at
        // the end of input (Long.MAX_VALUE) every one is, those whose end + grace saturated too.
        long lastCandidateStart;
        if (watermark == Long.MAX_VALUE) {
            lastCandidateStart = Long.MAX_VALUE;
        } else {
            long lessGrace = watermark - grace;
            lastCandidateStart = lessGrace - sessions.gapMillis();
            if (lessGrace > watermark || lastCandidateStart > lessGrace) {
                return; // before time begins: no session can have closed yet
            }
        }
        closeUpTo(watermark, lastCandidateStart);
    }

    /**
     * Emits and deletes the sessions starting by {@code lastCandidateStart} that {@code watermark}
     * closes, and moves {@link #nextCloseAt} and {@link #earliestStart} to what is left.
     */
    private void closeUpTo(long watermark, long lastCandidateStart) {
        long grace = sessions.graceMillis();
        // Sessions starting later close after this; the scan lowers it to the earliest open one.
        long earliestOpen = EventTimes.plus(watermark, 1);
        // Every session starting by lastCandidateStart is visited, in start order: after the
        // closed ones are deleted, the first open one is the earliest start left, and if none is
        // left, every session starts after lastCandidateStart.
        long firstLeft = lastCandidateStart == Long.MAX_VALUE ? Long.MAX_VALUE : lastCandidateStart + 1;
        boolean foundLeft = false;
        closed.clear(); // a scan that failed half-way deleted nothing, and must not be deleted now
        try (KeyValueIterator<WindowedKey<K>, SessionState<A>> candidates =
                     store.fetchAll(earliestStart(), lastCandidateStart)) {
            while (candidates.hasNext()) {
                StoreEntry<WindowedKey<K>, SessionState<A>> session = candidates.next();
                long end = session.value().end();
                long closesAt = EventTimes.closesAt(end, grace);
                WindowedKey<K> id = session.key();
                if (watermark < closesAt) {
                    earliestOpen = Math.min(earliestOpen, closesAt);
                    if (!foundLeft) {
                        foundLeft = true;
                        firstLeft = id.windowStart();
                    }
                } else {
                    closed.add(id);
                    boolean pending = dirty.remove(id);
                    if (emit instanceof EmitStrategy.OnWindowClose || pending) {
                        results.emit(id.key(), new Window(id.windowStart(), end), session.value().aggregate(), end - 1);
                    }
                }
            }
        }
        try {
            for (WindowedKey<K> id : closed) {
                store.put(id.key(), id.windowStart(), null);
            }
        } finally {
            closed.clear();
        }
        earliestStart = Math.max(earliestStart, firstLeft);
        nextCloseAt = earliestOpen;
    }

    @Override
    public void onProcessingTime(long nowMillis) {
        if (!(emit instanceof EmitStrategy.EveryInterval interval) || nowMillis < nextEmitAt) {
            return;
        }
        for (WindowedKey<K> id : dirty) {
            SessionState<A> session = store.fetch(id.key(), id.windowStart());
            if (session != null) {
                results.emit(id.key(), new Window(id.windowStart(), session.end()), session.aggregate(), session.end() - 1);
            }
        }
        dirty.clear();
        nextEmitAt = nowMillis + interval.intervalMillis();
    }

    @Override
    public long liveWindows() {
        return store.approximateNumEntries();
    }
}
