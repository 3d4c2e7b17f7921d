package io.ringflow.windowing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.state.Serde;
import io.ringflow.state.Serdes;
import io.ringflow.state.WindowStore;
import io.ringflow.state.memory.InMemoryWindowStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each kind of window makes its own aggregation and chooses what its store keeps per window. */
class WindowSpecTest {

    /** Heap stores that remember what they were opened with, as the runtime's give one per partition. */
    private static final class RecordingStores implements WindowStores<String, Long> {
        final Serde<Long> aggregateSerde = Serdes.longs();
        final List<Serde<?>> openedWith = new ArrayList<>();

        @Override
        public Serde<Long> aggregateSerde() {
            return aggregateSerde;
        }

        @Override
        public <S> WindowStore<String, S> open(Serde<S> valueSerde) {
            openedWith.add(valueSerde);
            return new InMemoryWindowStore<>("windows", Serdes.string());
        }
    }

    private static Harness harness(WindowSpec windows, RecordingStores stores) {
        Harness harness = new Harness(0);
        harness.aggregation = windows.newAggregation(EmitStrategy.onWindowClose(), stores, Harness.counting(),
                harness.results(), harness.late());
        return harness;
    }

    @Test
    void tumblingWindowsOpenOneStoreOfTheAggregateItself() throws Exception {
        RecordingStores stores = new RecordingStores();
        Harness h = harness(TumblingWindows.of(Duration.ofMillis(10)), stores).pipe("a@1", "a@5", "a@12", "a@25");
        assertEquals(List.of("a[0, 10)=2", "a[10, 20)=1"), h.results);
        assertEquals(1, stores.openedWith.size());
        assertSame(stores.aggregateSerde, stores.openedWith.get(0));
    }

    @Test
    void hoppingWindowsOpenOneStoreOfTheAggregateItself() throws Exception {
        RecordingStores stores = new RecordingStores();
        Harness h = harness(HoppingWindows.of(Duration.ofMillis(10)).advanceBy(Duration.ofMillis(5)), stores)
                .pipe("a@7", "a@30");
        assertEquals(List.of("a[0, 10)=1", "a[5, 15)=1"), h.results);
        assertEquals(1, stores.openedWith.size());
        assertSame(stores.aggregateSerde, stores.openedWith.get(0));
    }

    @Test
    void sessionWindowsOpenOneStoreOfEachSessionsEndWithItsAggregate() throws Exception {
        RecordingStores stores = new RecordingStores();
        Harness h = harness(SessionWindows.withGap(Duration.ofMillis(10)), stores).pipe("a@0", "a@5", "a@40");
        assertEquals(List.of("a[0, 15)=2"), h.results);
        assertEquals(1, stores.openedWith.size());
        assertEquals("SessionState<" + stores.aggregateSerde.typeName() + ">", stores.openedWith.get(0).typeName());
    }

    @Test
    void onlySessionWindowsMerge() {
        assertTrue(SessionWindows.withGap(Duration.ofMillis(10)).isMerging());
        assertFalse(TumblingWindows.of(Duration.ofMillis(10)).isMerging());
        assertFalse(HoppingWindows.of(Duration.ofMillis(10)).advanceBy(Duration.ofMillis(5)).isMerging());
    }

    @Test
    void tumblingWindowsAdvanceByTheirSize() {
        assertEquals(10, TumblingWindows.of(Duration.ofMillis(10)).advanceMillis());
        assertEquals(5, HoppingWindows.of(Duration.ofMillis(10)).advanceBy(Duration.ofMillis(5)).advanceMillis());
    }
}
