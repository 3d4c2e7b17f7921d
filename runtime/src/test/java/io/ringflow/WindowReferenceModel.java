package io.ringflow;

import io.ringflow.RandomWindowInput.Event;
import io.ringflow.windowing.HoppingWindows;
import io.ringflow.windowing.SessionWindows;
import io.ringflow.windowing.TumblingWindows;
import io.ringflow.windowing.WindowSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What an event-time windowed count and sum with {@code onWindowClose()} must give, written from
 * the documented semantics and not from the implementation, one record at a time on one thread:
 *
 * <ul>
 *   <li>watermark = largest timestamp seen so far - out-of-orderness ({@code NONE} before the
 *       first record, closing nothing); each record is judged against the watermark before it;</li>
 *   <li>a window closes when {@code watermark >= end + grace}; the end of the bounded input closes
 *       every window;</li>
 *   <li>tumbling: {@code [n size, (n + 1) size)}; hopping: {@code [n advance, n advance + size)},
 *       every such window containing the timestamp (none in a gap between windows);</li>
 *   <li>a record is late, in no result and counted once, when every window it belongs to has
 *       closed; a record in a hopping gap belongs to no window and is neither counted nor late;</li>
 *   <li>sessions: a record's own window is {@code [t, t + gap)}; it joins every open session of
 *       its key that overlaps it, merging them; it is late only when the merged session it would
 *       join or start is closed, which for an open session cannot be, so only when it touches no
 *       open session and {@code watermark >= t + gap + grace}; a closed session is final (emitted
 *       and deleted), so a record touching only a closed one starts a new session.</li>
 * </ul>
 */
final class WindowReferenceModel {

    /** A result's identity: key and window. Sorted by window start, then end, then key. */
    record WindowKey(String key, long start, long end) implements Comparable<WindowKey> {
        @Override
        public int compareTo(WindowKey other) {
            int c = Long.compare(start, other.start);
            c = c != 0 ? c : Long.compare(end, other.end);
            return c != 0 ? c : key.compareTo(other.key);
        }

        @Override
        public String toString() {
            return key + "@[" + start + ", " + end + ")";
        }
    }

    /** The count and the sum of amounts of one window. */
    record Aggregate(long count, long sum) {
        static final Aggregate EMPTY = new Aggregate(0, 0);

        Aggregate plus(Event event) {
            return new Aggregate(count + 1, sum + event.amount());
        }

        Aggregate merge(Aggregate other) {
            return new Aggregate(count + other.count, sum + other.sum);
        }
    }

    /** Every final result and how many records were late. */
    record Outcome(SortedMap<WindowKey, Aggregate> results, long late) {
    }

    private static final long NONE = Long.MIN_VALUE;

    private final WindowSpec spec;
    private final long outOfOrderness;
    private final SortedMap<WindowKey, Aggregate> results = new TreeMap<>();
    /** Sessions only: each key's open sessions by start; their WindowKey's end is the session's end. */
    private final Map<String, TreeMap<Long, Map.Entry<WindowKey, Aggregate>>> openSessions = new HashMap<>();
    private long maxTimestamp = NONE;
    private long watermark = NONE;
    private long late;

    private WindowReferenceModel(WindowSpec spec, long outOfOrderness) {
        this.spec = spec;
        this.outOfOrderness = outOfOrderness;
    }

    static Outcome run(List<Event> events, WindowSpec spec, long outOfOrderness) {
        WindowReferenceModel model = new WindowReferenceModel(spec, outOfOrderness);
        for (Event event : events) {
            if (spec instanceof SessionWindows sessions) {
                model.session(event, sessions);
            } else {
                model.timeWindows(event);
            }
            model.maxTimestamp = Math.max(model.maxTimestamp, event.time());
            model.watermark = Math.max(model.watermark, model.maxTimestamp - outOfOrderness);
        }
        model.closeSessions(Long.MAX_VALUE); // the end of input closes every window
        return new Outcome(model.results, model.late);
    }

    private boolean closed(long end) {
        return watermark != NONE && watermark >= end + spec.graceMillis();
    }

    private void timeWindows(Event event) {
        List<WindowKey> windows = windowsOf(event);
        boolean counted = false;
        for (WindowKey window : windows) {
            if (!closed(window.end())) {
                results.merge(window, Aggregate.EMPTY.plus(event), Aggregate::merge);
                counted = true;
            }
        }
        if (!windows.isEmpty() && !counted) {
            late++;
        }
    }

    /** The windows containing the event's timestamp, from the spec's size and advance alone. */
    private List<WindowKey> windowsOf(Event event) {
        long t = event.time();
        long size;
        long advance;
        if (spec instanceof TumblingWindows tumbling) {
            size = tumbling.sizeMillis();
            advance = size;
        } else {
            HoppingWindows hopping = (HoppingWindows) spec;
            size = hopping.sizeMillis();
            advance = hopping.advanceMillis();
        }
        List<WindowKey> windows = new ArrayList<>();
        for (long start = Math.floorDiv(t, advance) * advance; start + size > t; start -= advance) {
            windows.add(0, new WindowKey(event.key(), start, start + size));
        }
        return windows;
    }

    private void session(Event event, SessionWindows sessions) {
        closeSessions(watermark);
        long t = event.time();
        long start = t;
        long end = t + sessions.gapMillis();
        Aggregate aggregate = Aggregate.EMPTY.plus(event);
        TreeMap<Long, Map.Entry<WindowKey, Aggregate>> open = openSessions.computeIfAbsent(event.key(), k -> new TreeMap<>());
        boolean joined = false;
        // Sessions starting before the record's window ends and ending after it starts overlap it.
        for (Iterator<Map.Entry<WindowKey, Aggregate>> it = open.headMap(t + sessions.gapMillis()).values().iterator();
             it.hasNext(); ) {
            Map.Entry<WindowKey, Aggregate> session = it.next();
            if (session.getKey().end() > t) {
                start = Math.min(start, session.getKey().start());
                end = Math.max(end, session.getKey().end());
                aggregate = aggregate.merge(session.getValue());
                joined = true;
                it.remove();
            }
        }
        if (!joined && closed(end)) {
            late++;
            return;
        }
        open.put(start, Map.entry(new WindowKey(event.key(), start, end), aggregate));
    }

    /** Moves every session the watermark closes to the results. */
    private void closeSessions(long upTo) {
        long grace = spec.graceMillis();
        for (TreeMap<Long, Map.Entry<WindowKey, Aggregate>> open : openSessions.values()) {
            for (Iterator<Map.Entry<WindowKey, Aggregate>> it = open.values().iterator(); it.hasNext(); ) {
                Map.Entry<WindowKey, Aggregate> session = it.next();
                if (upTo == Long.MAX_VALUE || (upTo != NONE && upTo >= session.getKey().end() + grace)) {
                    results.put(session.getKey(), session.getValue());
                    it.remove();
                }
            }
        }
    }
}
