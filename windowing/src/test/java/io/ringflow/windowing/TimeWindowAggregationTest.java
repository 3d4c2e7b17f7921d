package io.ringflow.windowing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ringflow.state.Serdes;
import io.ringflow.state.WindowStore;
import io.ringflow.state.memory.InMemoryWindowStore;
import io.ringflow.state.rocksdb.RocksDbStateBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tumbling and hopping windows over scripted out-of-order input, with exact outputs and late counts. */
class TimeWindowAggregationTest {

    @TempDir
    Path directory;

    private RocksDbStateBackend rocksDb;

    @AfterEach
    void close() {
        if (rocksDb != null) {
            rocksDb.close();
        }
    }

    private WindowStore<String, Long> store;

    private WindowStore<String, Long> store(String kind) {
        if (kind.equals("rocksdb")) {
            rocksDb = new RocksDbStateBackend(directory, 1, 16L << 20, 0);
            store = rocksDb.windowStore(0, "counts", Serdes.string(), Serdes.longs());
        } else {
            store = new InMemoryWindowStore<>("counts", Serdes.string());
        }
        return store;
    }

    private int liveWindows() {
        return Harness.count(store);
    }


    private Harness harness(TimeWindows windows, EmitStrategy emit, long outOfOrderness, String storeKind) {
        Harness harness = new Harness(outOfOrderness);
        harness.aggregation = new TimeWindowAggregation<>(windows, emit, store(storeKind), Harness.counting(),
                harness.results(), harness.late());
        return harness;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"heap", "rocksdb"})
    void tumblingOnWindowCloseEmitsOneFinalCountPerWindowAndDropsLateRecords(String storeKind) throws Exception {
        Harness h = harness(TumblingWindows.of(Duration.ofMillis(10)), EmitStrategy.onWindowClose(), 5, storeKind);
        h.pipe("a@1", "b@3", "a@12", "a@8");          // watermark 7: [0,10) still open, 8 is on time
        h.pipe("a@16");                              // watermark 11: [0,10) closes
        h.pipe("a@9", "b@2");                        // both late: their window closed at watermark 10
        h.pipe("b@19", "a@25");                      // watermark 20: [10,20) closes
        assertEquals(List.of("a[0, 10)=2", "b[0, 10)=1", "a[10, 20)=2", "b[10, 20)=1"), h.results);
        assertEquals(List.of("a@9", "b@2"), h.late);
        assertEquals(1, liveWindows(), "only [20,30) is still open; closed windows' state is gone");
    }

    @Test
    void graceKeepsAWindowOpenForLateRecordsUntilWatermarkPassesEndPlusGrace() throws Exception {
        Harness h = harness(TumblingWindows.of(Duration.ofMillis(10)).grace(Duration.ofMillis(5)),
                EmitStrategy.onWindowClose(), 0, "heap");
        h.pipe("a@1", "a@12", "a@9", "a@14");        // watermark 14 < 10 + 5: 9 still counts
        h.pipe("a@15", "a@3");                       // watermark 15: [0,10) closed, 3 is late
        assertEquals(List.of("a[0, 10)=2"), h.results);
        assertEquals(List.of("a@3"), h.late);
    }

    @Test
    void hoppingWindowsOverlapWhenTheyAdvanceByLessThanTheirSize() throws Exception {
        Harness h = harness(HoppingWindows.of(Duration.ofMillis(10)).advanceBy(Duration.ofMillis(5)),
                EmitStrategy.onWindowClose(), 0, "heap");
        h.pipe("a@3", "a@7", "a@12", "a@30");
        assertEquals(List.of("a[-5, 5)=1", "a[0, 10)=2", "a[5, 15)=2", "a[10, 20)=1"), h.results);
        assertEquals(List.of(), h.late);
    }

    @Test
    void hoppingWindowsWithGapsCountOnlyRecordsInsideAWindow() throws Exception {
        Harness h = harness(HoppingWindows.of(Duration.ofMillis(5)).advanceBy(Duration.ofMillis(10)),
                EmitStrategy.onWindowClose(), 0, "heap");
        h.pipe("a@1", "a@4", "a@7", "a@12", "a@18", "a@40");
        assertEquals(List.of("a[0, 5)=2", "a[10, 15)=1"), h.results);
        assertEquals(List.of(), h.late, "7 and 18 fall between windows: in none, and not late");
    }

    @Test
    void hoppingRecordLateForSomeWindowsCountsOnlyInTheOpenOnes() throws Exception {
        Harness h = harness(HoppingWindows.of(Duration.ofMillis(10)).advanceBy(Duration.ofMillis(5)),
                EmitStrategy.onWindowClose(), 0, "heap");
        h.pipe("a@11", "a@6", "a@40");               // 6 is in [0,10) (closed at 10) and [5,15) (open)
        assertEquals(List.of("a[5, 15)=2", "a[10, 20)=1"), h.results);
        assertEquals(List.of(), h.late, "a record is late only when every window of it has closed");
    }

    @Test
    void onEveryUpdateEmitsTheNewCountOfEachWindowOnEveryRecord() throws Exception {
        Harness h = harness(TumblingWindows.of(Duration.ofMillis(10)), EmitStrategy.onEveryUpdate(), 100, "heap");
        h.pipe("a@1", "a@2", "b@3", "a@15");
        assertEquals(List.of("a[0, 10)=1", "a[0, 10)=2", "b[0, 10)=1", "a[10, 20)=1"), h.results);
    }

    @Test
    void everyIntervalEmitsOnlyTheLatestCountOfChangedWindowsPerInterval() throws Exception {
        Harness h = harness(TumblingWindows.of(Duration.ofMillis(10)), EmitStrategy.everyInterval(Duration.ofSeconds(1)),
                100, "heap");
        h.aggregation.onProcessingTime(0);
        h.pipe("a@1", "a@2", "b@3");
        h.aggregation.onProcessingTime(500);
        assertEquals(List.of(), h.results, "the interval has not passed");
        h.aggregation.onProcessingTime(1_000);
        assertEquals(List.of("a[0, 10)=2", "b[0, 10)=1"), h.results);
        h.aggregation.onProcessingTime(2_000);
        assertEquals(2, h.results.size(), "nothing changed, nothing emitted");
        h.pipe("a@4");
        h.aggregation.onProcessingTime(3_000);
        assertEquals("a[0, 10)=3", h.results.get(2));
    }

    @Test
    void everyIntervalStillEmitsAPendingUpdateWhenItsWindowCloses() throws Exception {
        Harness h = harness(TumblingWindows.of(Duration.ofMillis(10)), EmitStrategy.everyInterval(Duration.ofSeconds(1)),
                0, "heap");
        h.aggregation.onProcessingTime(0);
        h.pipe("a@1", "a@2", "a@20");
        assertEquals(List.of("a[0, 10)=2"), h.results);
        assertEquals(1, liveWindows());
    }

    @Test
    void windowSettingsThatCannotWorkSayWhatToChange() {
        assertEquals("grace must be zero or positive, got PT-1S; use Duration.ZERO to close windows as soon as the"
                        + " watermark passes their end",
                assertThrows(IllegalArgumentException.class,
                        () -> TumblingWindows.of(Duration.ofSeconds(1)).grace(Duration.ofSeconds(-1))).getMessage());
        assertEquals("tumbling window size must be a positive duration, got PT0S",
                assertThrows(IllegalArgumentException.class, () -> TumblingWindows.of(Duration.ZERO)).getMessage());
        assertEquals("hopping window advance must be a positive duration, got PT-5S",
                assertThrows(IllegalArgumentException.class,
                        () -> HoppingWindows.of(Duration.ofSeconds(10)).advanceBy(Duration.ofSeconds(-5))).getMessage());
    }

    @Test
    void windowAssignmentForEveryShape() {
        long[] starts = new long[3];
        assertEquals(1, TumblingWindows.of(Duration.ofMillis(10)).windowsFor(-3, starts));
        assertEquals(-10, starts[0], "negative times round down, not toward zero");
        HoppingWindows overlapping = HoppingWindows.of(Duration.ofMillis(10)).advanceBy(Duration.ofMillis(4));
        assertEquals(3, overlapping.maxWindowsPerRecord());
        assertEquals(3, overlapping.windowsFor(9, starts));
        assertEquals(List.of(0L, 4L, 8L), List.of(starts[0], starts[1], starts[2]));
        assertEquals(2, overlapping.windowsFor(10, starts));
        assertEquals(List.of(4L, 8L), List.of(starts[0], starts[1]));
    }
}
