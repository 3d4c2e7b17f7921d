package io.ringflow.windowing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ringflow.state.Serdes;
import io.ringflow.state.WindowStore;
import io.ringflow.state.memory.InMemoryWindowStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Timestamps at the ends of the long range: window arithmetic saturates instead of wrapping,
 * and a timestamp no window can hold is refused with a message that says why and what to do.
 */
class WindowEdgesTest {

    private static final long MIN = Long.MIN_VALUE;
    private static final long MAX = Long.MAX_VALUE;
    private static final String FIX = "; give the record its real event time (epoch milliseconds) in the source's"
            + " TimestampExtractor, or filter such records out before window(...)";

    private WindowStore<String, Long> timeStore;
    private WindowStore<String, SessionState<Long>> sessionStore;

    private Harness time(TimeWindows windows, EmitStrategy emit, long outOfOrderness) {
        timeStore = new InMemoryWindowStore<>("counts", Serdes.string());
        Harness harness = new Harness(outOfOrderness);
        harness.aggregation = new TimeWindowAggregation<>(windows, emit, timeStore, Harness.counting(),
                harness.results(), harness.late());
        return harness;
    }

    private Harness sessions(SessionWindows sessions, EmitStrategy emit, long outOfOrderness) {
        sessionStore = new InMemoryWindowStore<>("sessions", Serdes.string());
        Harness harness = new Harness(outOfOrderness);
        harness.aggregation = new SessionWindowAggregation<>(sessions, emit, sessionStore, Harness.counting(),
                harness.results(), harness.late());
        return harness;
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void hoppingWindowsForATimestampNearLongMaxValueFinishes() {
        HoppingWindows hopping = HoppingWindows.of(Duration.ofSeconds(10)).advanceBy(Duration.ofSeconds(1));
        long[] starts = new long[hopping.maxWindowsPerRecord()];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> hopping.windowsFor(MAX - 5, starts));
        assertEquals("event time " + (MAX - 5) + " fits no window: its hopping window of 10000 ms every 1000 ms"
                + " starting at 9223372036854775000 would end after Long.MAX_VALUE" + FIX, e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> hopping.windowsFor(MIN + 5, starts));

        // The last timestamps whose windows all fit are windowed as anywhere else.
        assertEquals(10, hopping.windowsFor(MAX - 20_000, starts));
        long last = 9_223_372_036_854_755_000L;
        long[] expected = new long[10];
        for (int i = 0; i < 10; i++) {
            expected[i] = last - (9 - i) * 1_000L;
        }
        assertArrayEquals(expected, starts);
        HoppingWindows gapped = HoppingWindows.of(Duration.ofMillis(4)).advanceBy(Duration.ofMillis(6));
        assertEquals(1, gapped.windowsFor(MAX - 7, starts), "MAX - 7 is a multiple of 6: in [MAX - 7, MAX - 3) only");
        assertEquals(MAX - 7, starts[0]);
        assertEquals(0, gapped.windowsFor(MAX - 3, starts), "between two hopping windows, near the end of time too");
        assertThrows(IllegalArgumentException.class, () -> gapped.windowsFor(MAX - 1, starts), "[MAX - 1, MAX + 3)");
    }

    @Test
    void tumblingWindowsForTheEdgesOfTimeAreTheLastOnesThatFit() {
        long[] starts = new long[1];
        TumblingWindows pow2 = TumblingWindows.of(Duration.ofMillis(1024));
        assertEquals(1, pow2.windowsFor(MIN, starts));
        assertEquals(MIN, starts[0], "MIN_VALUE is a multiple of 1024: [MIN, MIN + 1024) holds it");
        assertEquals(1, pow2.windowsFor(MAX - 1024, starts));
        assertEquals(MAX - 2047, starts[0], "the last window that fits: [MAX - 2047, MAX - 1023)");
        assertThrows(IllegalArgumentException.class, () -> pow2.windowsFor(MAX - 1023, starts), "[MAX - 1023, MAX + 1)");
        TumblingWindows second = TumblingWindows.of(Duration.ofSeconds(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> second.windowsFor(MIN + 1, starts));
        assertEquals("event time " + (MIN + 1) + " fits no window: its tumbling window of 1000 ms"
                + " would start before Long.MIN_VALUE" + FIX, e.getMessage());
    }

    @Test
    void aTumblingWindowAtTheBottomOfTimeClosesOnlyWhenTheWatermarkPassesItsEnd() throws Exception {
        Harness h = time(TumblingWindows.of(Duration.ofMillis(1024)), EmitStrategy.onWindowClose(), 0);
        h.pipe("a@" + (MIN + 1));
        assertEquals(List.of(), h.results, "watermark MIN + 1 closes nothing");
        h.pipe("a@" + (MIN + 5));
        assertEquals(List.of(), h.late);
        h.pipe("a@" + (MIN + 1030));                   // watermark MIN + 1030 >= MIN + 1024: [MIN, MIN + 1024) closes
        assertEquals(List.of("a[" + MIN + ", " + (MIN + 1024) + ")=2"), h.results);
        assertEquals(1, Harness.count(timeStore));
    }

    @Test
    void aGraceThatReachesPastLongMaxValueKeepsTheWindowOpenUntilTheEndOfInput() throws Exception {
        Harness h = time(TumblingWindows.of(Duration.ofSeconds(1)).grace(Duration.ofHours(1)), EmitStrategy.onWindowClose(), 0);
        h.pipe("a@" + (MAX - 2_000), "a@" + (MAX - 1_900)); // window [MAX - 2807, MAX - 1807), end + grace > MAX
        assertEquals(List.of(), h.late);
        assertEquals(List.of(), h.results);
        h.advanceTo(MAX);
        assertEquals(List.of("a[" + (MAX - 2_807) + ", " + (MAX - 1_807) + ")=2"), h.results);
        assertEquals(0, Harness.count(timeStore));
    }

    @Test
    void aSessionWhoseGraceReachesPastLongMaxValueStaysOpenUntilTheEndOfInput() throws Exception {
        Harness h = sessions(SessionWindows.withGap(Duration.ofSeconds(1)).grace(Duration.ofHours(1)),
                EmitStrategy.onWindowClose(), 0);
        h.pipe("a@" + (MAX - 5_000), "a@" + (MAX - 4_500));
        assertEquals(List.of(), h.late);
        assertEquals(List.of(), h.results);
        h.advanceTo(MAX);
        assertEquals(List.of("a[" + (MAX - 5_000) + ", " + (MAX - 3_500) + ")=2"), h.results);
        assertEquals(0, Harness.count(sessionStore));
    }

    @Test
    void aSessionAtTheBottomOfTimeClosesOnItsWatermark() throws Exception {
        Harness h = sessions(SessionWindows.withGap(Duration.ofSeconds(1)), EmitStrategy.onWindowClose(), 500);
        h.pipe("a@" + (MIN + 1));                      // watermark: still none (MIN + 1 - 500 is before time)
        h.pipe("a@1000", "a@1500");
        h.advanceTo(MAX);
        assertEquals(List.of("a[" + (MIN + 1) + ", " + (MIN + 1_001) + ")=1", "a[1000, 2500)=2"), h.results);
        assertEquals(List.of(), h.late);
    }

    @Test
    void aRecordAtLongMinValueIsRefusedBecauseThatTimeMeansNoWatermark() throws Exception {
        String reserved = "event time " + MIN + " (Long.MIN_VALUE) fits no window: it is Watermarks.NONE, 'no watermark"
                + " yet'" + FIX;
        Harness tumbling = time(TumblingWindows.of(Duration.ofMillis(1024)), EmitStrategy.onWindowClose(), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tumbling.aggregation.onRecord("a", 1L, MIN, MIN));
        assertEquals(reserved, e.getMessage());
        assertEquals(0, Harness.count(timeStore), "nothing kept that no watermark would free");

        Harness session = sessions(SessionWindows.withGap(Duration.ofSeconds(1)), EmitStrategy.onWindowClose(), 0);
        e = assertThrows(IllegalArgumentException.class, () -> session.aggregation.onRecord("a", 1L, MIN, MIN));
        assertEquals(reserved, e.getMessage());
        assertEquals(0, Harness.count(sessionStore));
        assertEquals(List.of(), session.late);
    }

    @Test
    void aRecordWhoseWindowWouldEndAfterLongMaxValueIsRefusedBeforeAnyStateChanges() throws Exception {
        Harness tumbling = time(TumblingWindows.of(Duration.ofSeconds(1)), EmitStrategy.onEveryUpdate(), 0);
        tumbling.pipe("a@1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tumbling.aggregation.onRecord("a", 1L, MAX, 1));
        assertEquals("event time " + MAX + " fits no window: its tumbling window of 1000 ms starting at"
                + " 9223372036854775000 would end after Long.MAX_VALUE" + FIX, e.getMessage());
        assertEquals(List.of("a[0, 1000)=1"), tumbling.results);
        assertEquals(1, Harness.count(timeStore));

        Harness session = sessions(SessionWindows.withGap(Duration.ofSeconds(1)), EmitStrategy.onEveryUpdate(), 0);
        e = assertThrows(IllegalArgumentException.class, () -> session.aggregation.onRecord("a", 1L, MAX - 10, MIN));
        assertEquals("event time " + (MAX - 10) + " fits no window: its session with gap 1000 ms would end after"
                + " Long.MAX_VALUE" + FIX, e.getMessage());
        assertEquals(0, Harness.count(sessionStore));
        assertEquals(List.of(), session.results);
        assertEquals(List.of(), session.late);
    }
}
