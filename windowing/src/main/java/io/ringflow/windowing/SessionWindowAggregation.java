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
 * state is then deleted. Per record: one range scan over the key's live sessions.
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
    /** Their aggregates, in the same order; cleared after each record. */
    private final List<A> joinedAggregates = new ArrayList<>();
    private final Set<WindowedKey<K>> dirty = new LinkedHashSet<>();
    private long nextEmitAt = Long.MIN_VALUE;
    /** No live session closes before the watermark reaches this: until then a watermark costs nothing. */
    private long nextCloseAt = Long.MIN_VALUE;

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
        int joined = 0;
        try {
            // Sessions starting before this record's window ends; those ending after it starts
            // overlap it, and are joined in start order before the record is added.
            try (KeyValueIterator<Long, SessionState<A>> candidates = store.fetch(key, Long.MIN_VALUE, ownEnd - 1)) {
                while (candidates.hasNext()) {
                    StoreEntry<Long, SessionState<A>> session = candidates.next();
                    // A session the record's watermark has closed is not joined, though this shard,
                    // whose watermark may lag the record's at parallelism > 1, has not emitted it yet:
                    // it would have been emitted and gone before the record in the sequential order.
                    if (session.value().end() > timestamp && !EventTimes.isClosed(session.value().end(), grace, watermark)) {
                        long sessionStart = session.key();
                        if (joined == joinedStarts.length) {
                            joinedStarts = Arrays.copyOf(joinedStarts, joined * 2);
                        }
                        joinedStarts[joined++] = sessionStart;
                        joinedAggregates.add(session.value().aggregate());
                        start = Math.min(start, sessionStart);
                        end = Math.max(end, session.value().end());
                    }
                }
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
        // Sessions starting later close after this; the scan lowers it to the earliest open one.
        long earliestOpen = EventTimes.plus(watermark, 1);
        List<WindowedKey<K>> closed = new ArrayList<>();
        try (KeyValueIterator<WindowedKey<K>, SessionState<A>> candidates =
                     store.fetchAll(Long.MIN_VALUE, lastCandidateStart)) {
            while (candidates.hasNext()) {
                StoreEntry<WindowedKey<K>, SessionState<A>> session = candidates.next();
                long end = session.value().end();
                long closesAt = EventTimes.closesAt(end, grace);
                if (watermark < closesAt) {
                    earliestOpen = Math.min(earliestOpen, closesAt);
                } else {
                    closed.add(session.key());
                    WindowedKey<K> id = session.key();
                    boolean pending = dirty.remove(id);
                    if (emit instanceof EmitStrategy.OnWindowClose || pending) {
                        results.emit(id.key(), new Window(id.windowStart(), end), session.value().aggregate(), end - 1);
                    }
                }
            }
        }
        for (WindowedKey<K> id : closed) {
            store.put(id.key(), id.windowStart(), null);
        }
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
