package io.ringflow.windowing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringflow.state.Serdes;
import io.ringflow.state.WindowStore;
import io.ringflow.state.memory.InMemoryWindowStore;
import io.ringflow.state.rocksdb.RocksDbStateBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Session windows: gaps split, a bridging record merges, late records are dropped, state goes. */
class SessionWindowAggregationTest {

    @TempDir
    Path directory;

    private RocksDbStateBackend rocksDb;

    @AfterEach
    void close() {
        if (rocksDb != null) {
            rocksDb.close();
        }
    }

    private WindowStore<String, SessionState<Long>> store;

    private int liveSessions() {
        return Harness.count(store);
    }


    private Harness harness(SessionWindows sessions, EmitStrategy emit, long outOfOrderness, String storeKind) {
        if (storeKind.equals("rocksdb")) {
            rocksDb = new RocksDbStateBackend(directory, 1, 16L << 20, 0);
            store = rocksDb.windowStore(0, "sessions", Serdes.string(), SessionState.serde(Serdes.longs()));
        } else {
            store = new InMemoryWindowStore<>("sessions", Serdes.string());
        }
        Harness harness = new Harness(outOfOrderness);
        harness.aggregation = new SessionWindowAggregation<>(sessions, emit, store, Harness.counting(),
                harness.results(), harness.late());
        return harness;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"heap", "rocksdb"})
    void aRecordBetweenTwoSessionsWithinTheGapOfBothMergesThem(String storeKind) throws Exception {
        Harness h = harness(SessionWindows.withGap(Duration.ofMillis(10)), EmitStrategy.onWindowClose(), 30, storeKind);
        h.pipe("a@0", "a@18", "b@5");                // a: [0,10) and [18,28); b: [5,15)
        h.pipe("a@9");                               // [9,19) overlaps both of a's sessions: one session [0,28)
        h.pipe("a@100");                             // watermark 70 closes everything before it
        assertEquals(List.of("a[0, 28)=3", "b[5, 15)=1"), h.results);
        assertEquals(1, liveSessions(), "only a's session at 100 is live");
    }

    @Test
    void recordsMoreThanAGapApartStartANewSession() throws Exception {
        Harness h = harness(SessionWindows.withGap(Duration.ofMillis(10)), EmitStrategy.onEveryUpdate(), 100, "heap");
        h.pipe("a@0", "a@5", "a@14", "a@24", "a@40");   // 24 is exactly a gap after 14: a new session
        assertEquals(List.of("a[0, 10)=1", "a[0, 15)=2", "a[0, 24)=3", "a[24, 34)=1", "a[40, 50)=1"), h.results);
    }

    @Test
    void aRecordWhoseSessionWouldAlreadyBeClosedIsLate() throws Exception {
        Harness h = harness(SessionWindows.withGap(Duration.ofMillis(10)).grace(Duration.ofMillis(5)),
                EmitStrategy.onWindowClose(), 0, "heap");
        h.pipe("a@0", "a@40");                       // watermark 40 closes [0,10) (10 + 5 <= 40)
        h.pipe("a@26", "a@15");                      // 26: 26 + 10 + 5 = 41 > 40, on time; 15: [15,25) joins nothing, 25 + 5 <= 40, late
        h.pipe("a@24");                              // [24,34) joins the open [26,36): on time, though 24 + 10 + 5 <= 40
        h.pipe("a@33");                              // [33,43) bridges [24,36) and [40,50)
        h.advanceTo(100);
        assertEquals(List.of("a[0, 10)=1", "a[24, 50)=4"), h.results);
        assertEquals(List.of("a@15"), h.late);
        assertEquals(0, liveSessions());
    }

    /** Issue 15: lateness is judged on the session a record joins, as Flink and Kafka Streams do. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"heap", "rocksdb"})
    void aRecordInsideASessionThatIsStillOpenJoinsItThoughItsOwnGapHasPassed(String storeKind) throws Exception {
        Harness h = harness(SessionWindows.withGap(Duration.ofSeconds(1)), EmitStrategy.onWindowClose(), 500, storeKind);
        h.pipe("a@1000", "a@1900", "b@2600");        // a: [1000,2900), open until 2900; watermark 2100
        h.pipe("a@1050");                            // its own [1050,2050) ended before 2100, but it is inside a's session
        assertEquals(List.of(), h.late);
        h.advanceTo(Long.MAX_VALUE);
        assertEquals(List.of("a[1000, 2900)=3", "b[2600, 3600)=1"), h.results);
        assertEquals(0, liveSessions());
    }

    @Test
    void aLateRecordIsNotMergedIntoAnything() throws Exception {
        Harness h = harness(SessionWindows.withGap(Duration.ofMillis(10)), EmitStrategy.onEveryUpdate(), 0, "heap");
        h.pipe("a@100", "a@50");                     // watermark 100: [50,60) is closed and touches no open session
        h.advanceTo(Long.MAX_VALUE);
        assertEquals(List.of("a[100, 110)=1"), h.results);
        assertEquals(List.of("a@50"), h.late);
    }
}
