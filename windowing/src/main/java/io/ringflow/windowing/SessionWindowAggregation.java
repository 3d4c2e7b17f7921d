package io.ringflow.windowing;

import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.StoreEntry;
import io.ringflow.state.WindowStore;
import io.ringflow.state.WindowedKey;
import io.ringflow.watermark.Watermarks;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Windowed aggregation over session windows. A record's own window is
 * {@code [timestamp, timestamp + gap)}; it joins every session of its key that window
 * overlaps: their aggregates are combined with the merger, in start order (only when there
 * are two or more), and the record is added to the result. A session is
 * closed when {@code watermark >= end + grace}; its state is then deleted. Per record: one
 * range scan over the key's live sessions.
 *
 * <p>Closed sessions are deleted when the watermark closes them, so a record that would
 * have touched one starts a new session rather than reopening a final result.
 */
public final class SessionWindowAggregation<K, V, A> implements WindowedAggregation<K, V, A> {

    private final SessionWindows sessions;
    private final EmitStrategy emit;
    private final WindowStore<K, SessionState<A>> store;
    private final Aggregate<K, V, A> aggregate;
    private final Results<K, A> results;
    private final LateRecords<K, V> late;
    private final List<Long> merged = new ArrayList<>();
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
        long gap = sessions.gapMillis();
        if (watermark != Watermarks.NONE && watermark >= timestamp + gap + sessions.graceMillis()) {
            late.late(key, value, timestamp);
            return false;
        }
        long start = timestamp;
        long end = timestamp + gap;
        A joined = null;
        merged.clear();
        // Sessions starting before this record's window ends; those ending after it starts
        // overlap it, and are joined in start order before the record is added.
        try (KeyValueIterator<Long, SessionState<A>> candidates = store.fetch(key, Long.MIN_VALUE, timestamp + gap - 1)) {
            while (candidates.hasNext()) {
                StoreEntry<Long, SessionState<A>> session = candidates.next();
                if (session.value().end() > timestamp) {
                    A aggregateOfSession = session.value().aggregate();
                    joined = joined == null ? aggregateOfSession : aggregate.merge(key, joined, aggregateOfSession);
                    start = Math.min(start, session.key());
                    end = Math.max(end, session.value().end());
                    merged.add(session.key());
                }
            }
        }
        A result = aggregate.add(key, value, joined == null ? aggregate.initial() : joined);
        for (Long old : merged) {
            store.put(key, old, null);
        }
        store.put(key, start, new SessionState<>(end, result));
        nextCloseAt = Math.min(nextCloseAt, end + sessions.graceMillis());
        if (emit instanceof EmitStrategy.OnEveryUpdate) {
            results.emit(key, new Window(start, end), result, end - 1);
        } else if (emit instanceof EmitStrategy.EveryInterval) {
            dirty.add(new WindowedKey<>(key, start));
        }
        return true;
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
        // A session ends at least gap after it starts, so only those starting by here can be closed.
        long lastCandidateStart = watermark - grace - sessions.gapMillis();
        // Sessions starting later end later than this; the scan lowers it to the earliest open one.
        long earliestOpen = lastCandidateStart + 1 + sessions.gapMillis() + grace;
        List<WindowedKey<K>> closed = new ArrayList<>();
        try (KeyValueIterator<WindowedKey<K>, SessionState<A>> candidates =
                     store.fetchAll(Long.MIN_VALUE, lastCandidateStart)) {
            while (candidates.hasNext()) {
                StoreEntry<WindowedKey<K>, SessionState<A>> session = candidates.next();
                long end = session.value().end();
                if (watermark < end + grace) {
                    earliestOpen = Math.min(earliestOpen, end + grace);
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
