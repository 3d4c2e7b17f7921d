package io.ringflow.windowing;

import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.StoreEntry;
import io.ringflow.state.WindowStore;
import io.ringflow.state.WindowedKey;
import io.ringflow.watermark.Watermarks;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Windowed aggregation over tumbling or hopping windows. Per record: one state read and one
 * write per window the record belongs to; no allocation for the window starts.
 *
 * <p>Event time {@code Long.MIN_VALUE} (the watermark's "none yet") and a timestamp whose
 * window would start before {@code Long.MIN_VALUE} or end after {@code Long.MAX_VALUE} fit no
 * window: {@link #onRecord} throws {@link IllegalArgumentException} for them, before any state
 * changes, and the runtime hands the record to the error handler. An {@code end + grace} past
 * {@code Long.MAX_VALUE} saturates: that window closes at the end of input.
 */
public final class TimeWindowAggregation<K, V, A> implements WindowedAggregation<K, V, A> {

    private final TimeWindows windows;
    private final EmitStrategy emit;
    private final WindowStore<K, A> store;
    private final Aggregate<K, V, A> aggregate;
    private final Results<K, A> results;
    private final LateRecords<K, V> late;
    private final long[] starts;
    private final Object[] updated;
    /** Windows changed since the last interval, for everyInterval; insertion ordered. */
    private final Set<WindowedKey<K>> dirty = new LinkedHashSet<>();
    private long nextEmitAt = Long.MIN_VALUE;
    /** Windows starting at or before this have been closed and deleted, once {@link #closedAny}. */
    private long closedUpToStart = Long.MIN_VALUE;
    /** Whether any watermark has closed windows yet: a window may start at {@code Long.MIN_VALUE} itself. */
    private boolean closedAny;

    public TimeWindowAggregation(TimeWindows windows, EmitStrategy emit, WindowStore<K, A> store,
                                 Aggregate<K, V, A> aggregate, Results<K, A> results, LateRecords<K, V> late) {
        this.windows = windows;
        this.emit = emit;
        this.store = store;
        this.aggregate = aggregate;
        this.results = results;
        this.late = late;
        this.starts = new long[windows.maxWindowsPerRecord()];
        this.updated = new Object[starts.length];
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean onRecord(K key, V value, long timestamp, long watermark) throws Exception {
        EventTimes.requireNotNone(timestamp);
        int count = windows.windowsFor(timestamp, starts);
        if (count == 0) {
            return true; // between two hopping windows: in none, and not late
        }
        long size = windows.sizeMillis();
        boolean anyOpen = false;
        // Compute every window's new aggregate before writing any, so a throwing function
        // leaves no window half-updated.
        for (int i = 0; i < count; i++) {
            if (isClosed(starts[i] + size, watermark)) {
                updated[i] = null;
                continue;
            }
            anyOpen = true;
            A current = store.fetch(key, starts[i]);
            updated[i] = aggregate.add(key, value, current == null ? aggregate.initial() : current);
        }
        if (!anyOpen) {
            late.late(key, value, timestamp);
            return false;
        }
        for (int i = 0; i < count; i++) {
            if (updated[i] == null) {
                continue;
            }
            A result = (A) updated[i];
            updated[i] = null;
            store.put(key, starts[i], result);
            if (emit instanceof EmitStrategy.OnEveryUpdate) {
                results.emit(key, new Window(starts[i], starts[i] + size), result, starts[i] + size - 1);
            } else if (emit instanceof EmitStrategy.EveryInterval) {
                dirty.add(new WindowedKey<>(key, starts[i]));
            }
        }
        return true;
    }

    private boolean isClosed(long end, long watermark) {
        return EventTimes.isClosed(end, windows.graceMillis(), watermark);
    }

    @Override
    public void onWatermark(long watermark) {
        if (watermark == Watermarks.NONE) {
            return;
        }
        long size = windows.sizeMillis();
        // A window [start, start + size) is closed when watermark >= start + size + grace. Windows
        // start on a grid, so nothing new closes until the watermark crosses the next grid line:
        // most watermark advances cost one division and no state access. At the end of input
        // (Long.MAX_VALUE) every window closes, those whose end + grace saturated too.
        long step = windows.advanceMillis();
        long lastClosedStart;
        if (watermark == Long.MAX_VALUE) {
            lastClosedStart = Long.MAX_VALUE - Math.floorMod(Long.MAX_VALUE, step);
        } else {
            long lessGrace = watermark - windows.graceMillis();
            long line = lessGrace - size; // closed: start <= watermark - grace - size
            lastClosedStart = line - Math.floorMod(line, step);
            if (lessGrace > watermark || line > lessGrace || lastClosedStart > line) {
                return; // before time begins: no window can have closed yet
            }
        }
        if (closedAny && lastClosedStart <= closedUpToStart) {
            return;
        }
        closedAny = true;
        closedUpToStart = lastClosedStart;
        if (emit instanceof EmitStrategy.OnWindowClose) {
            try (KeyValueIterator<WindowedKey<K>, A> closed = store.fetchAll(Long.MIN_VALUE, lastClosedStart)) {
                while (closed.hasNext()) {
                    StoreEntry<WindowedKey<K>, A> entry = closed.next();
                    long start = entry.key().windowStart();
                    results.emit(entry.key().key(), new Window(start, start + size), entry.value(), start + size - 1);
                }
            }
        } else if (emit instanceof EmitStrategy.EveryInterval) {
            emitDirty(lastClosedStart);
        }
        store.deleteOlderThan(lastClosedStart == Long.MAX_VALUE ? Long.MAX_VALUE : lastClosedStart + 1);
    }

    @Override
    public void onProcessingTime(long nowMillis) {
        if (!(emit instanceof EmitStrategy.EveryInterval interval)) {
            return;
        }
        if (nowMillis >= nextEmitAt) {
            emitDirty(Long.MAX_VALUE);
            nextEmitAt = nowMillis + interval.intervalMillis();
        }
    }

    /** Emits the latest result of every changed window that starts at or before {@code upToStart}. */
    private void emitDirty(long upToStart) {
        long size = windows.sizeMillis();
        var it = dirty.iterator();
        while (it.hasNext()) {
            WindowedKey<K> window = it.next();
            if (window.windowStart() > upToStart) {
                continue;
            }
            it.remove();
            A result = store.fetch(window.key(), window.windowStart());
            if (result != null) {
                long start = window.windowStart();
                results.emit(window.key(), new Window(start, start + size), result, start + size - 1);
            }
        }
    }

    @Override
    public long liveWindows() {
        return store.approximateNumEntries();
    }
}
