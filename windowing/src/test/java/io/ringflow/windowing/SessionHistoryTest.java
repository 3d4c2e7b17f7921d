package io.ringflow.windowing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.Serdes;
import io.ringflow.state.StoreEntry;
import io.ringflow.state.WindowStore;
import io.ringflow.state.WindowedKey;
import io.ringflow.state.memory.InMemoryWindowStore;
import io.ringflow.state.rocksdb.RocksDbStateBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: on RocksDB a closed session stays behind as a tombstone until compaction, so a
 * session lookup must start above the sessions a key closed long ago, not walk all of them;
 * and the sessions that were live when the state was closed come back exactly.
 */
class SessionHistoryTest {

    private static final SessionWindows GAP_10_MS = SessionWindows.withGap(Duration.ofMillis(10));

    @TempDir
    Path directory;

    private RocksDbStateBackend backend;
    private WindowStore<String, SessionState<Long>> store;

    @AfterEach
    void close() {
        if (backend != null) {
            store.close();
            backend.close();
        }
    }

    private WindowStore<String, SessionState<Long>> open(int cacheEntries) {
        backend = new RocksDbStateBackend(directory.resolve("state"), 1, 16L << 20, cacheEntries);
        store = backend.windowStore(0, "sessions", Serdes.string(), SessionState.serde(Serdes.longs()));
        return store;
    }

    private static SessionWindowAggregation<String, Long, Long> aggregation(WindowStore<String, SessionState<Long>> store,
                                                                          Harness harness) {
        return new SessionWindowAggregation<>(GAP_10_MS, EmitStrategy.onWindowClose(), store, Harness.counting(),
                harness.results(), harness.late());
    }

    /**
     * Keys a and b take turns, a record every 100 ms, each its own session that the next
     * record's watermark closes: every session ends as a tombstone (with no cache, or with a
     * cache of one entry that two keys overflow all the time). The tombstones RocksDB steps
     * over per record stay the same after 5,000 closed sessions as after 100.
     */
    @ParameterizedTest(name = "cache of {0}")
    @ValueSource(ints = {0, 1})
    void aLookupStepsOverNoMoreTombstonesAfterThousandsOfClosedSessionsThanAfterAFew(int cacheEntries) throws Exception {
        Harness h = new Harness(0);
        h.aggregation = aggregation(open(cacheEntries), h);
        try (RocksDbWork work = new RocksDbWork(directory.resolve("perf"))) {
            pipeTurns(h, 0, 100);
            long afterAFew = tombstonesOver(work, h, 100, 100);
            pipeTurns(h, 200, 5_000);
            long afterThousands = tombstonesOver(work, h, 5_200, 100);
            assertTrue(afterThousands <= afterAFew + 10, "tombstones stepped over in 100 records: " + afterAFew
                    + " after 200 closed sessions, " + afterThousands + " after 5,200");
            assertTrue(afterThousands <= 100, "at most one per record, got " + afterThousands + " in 100 records");
        }
        assertEquals(5_299, h.results.size(), "every session but the last closed, one result each");
    }

    /** Records {@code from} to {@code from + count - 1}: a at even steps, b at odd, 100 ms apart. */
    private static void pipeTurns(Harness h, int from, int count) throws Exception {
        for (int i = from; i < from + count; i++) {
            h.pipe((i % 2 == 0 ? "a@" : "b@") + i * 100L);
        }
    }

    private static long tombstonesOver(RocksDbWork work, Harness h, int from, int count) throws Exception {
        work.reset();
        pipeTurns(h, from, count);
        return work.tombstonesSkipped();
    }

    /**
     * Sessions live at the stop (one of them about to take a record that extends it, one about
     * to close under a record that is then late) are restored exactly, and close at the same
     * watermark, with the same results, as in a run that never stopped.
     */
    @ParameterizedTest(name = "cache of {0}")
    @ValueSource(ints = {0, 3, 100_000})
    void liveSessionsComeBackExactlyAfterARestartAndCloseAtTheSameWatermark(int cacheEntries) throws Exception {
        String[] before = {"a@0", "b@5", "a@8", "c@30", "a@100", "b@104", "c@112", "b@90"};
        String[] after = {"a@109", "b@200", "c@121", "a@400"};
        Harness reference = new Harness(50);
        InMemoryWindowStore<String, SessionState<Long>> heap = new InMemoryWindowStore<>("sessions", Serdes.string());
        reference.aggregation = aggregation(heap, reference);
        reference.pipe(before);
        List<String> liveAtStop = sessions(heap);

        Harness h = new Harness(50);
        h.aggregation = aggregation(open(cacheEntries), h);
        h.pipe(before);
        assertEquals(reference.results, h.results);
        store.close();
        backend.close();
        h.aggregation = aggregation(open(cacheEntries), h);
        assertEquals(liveAtStop, sessions(store), "the live sessions, restored");

        reference.pipe(after).advanceTo(Long.MAX_VALUE);
        h.pipe(after).advanceTo(Long.MAX_VALUE);
        assertEquals(reference.results, h.results);
        assertEquals(reference.late, h.late);
        assertEquals(List.of("c@121"), h.late, "late against a restored session the watermark closed");
        assertEquals(List.of(), sessions(store));
    }

    /** {@code key[start, end)=aggregate} of every session in the store, in start order. */
    private static List<String> sessions(WindowStore<String, SessionState<Long>> store) {
        List<String> out = new ArrayList<>();
        try (KeyValueIterator<WindowedKey<String>, SessionState<Long>> all = store.fetchAll(Long.MIN_VALUE, Long.MAX_VALUE)) {
            while (all.hasNext()) {
                StoreEntry<WindowedKey<String>, SessionState<Long>> session = all.next();
                out.add(session.key().key() + new Window(session.key().windowStart(), session.value().end()) + "="
                        + session.value().aggregate());
            }
        }
        return out;
    }
}
