package io.ringflow.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link WindowStore} does; one subclass per implementation. */
abstract class WindowStoreContract {

    protected WindowStore<String, Long> store;

    protected abstract WindowStore<String, Long> createStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = createStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void putAndFetchOneWindow() {
        store.put("a", 1_000, 3L);
        store.put("a", 1_000, 4L);
        assertEquals(4L, store.fetch("a", 1_000));
        assertNull(store.fetch("a", 2_000));
        assertNull(store.fetch("b", 1_000));
    }

    @Test
    void fetchGivesOneKeysWindowsInStartOrderWithinInclusiveBounds() {
        for (long start : new long[] {3_000, 1_000, 5_000, 2_000, 4_000}) {
            store.put("a", start, start / 1_000);
            store.put("b", start, -1L);
        }
        assertEquals(List.of("2000=2", "3000=3", "4000=4"), drain(store.fetch("a", 2_000, 4_000)));
        assertEquals(List.of(), drain(store.fetch("a", 6_000, 9_000)));
        assertEquals(List.of(), drain(store.fetch("c", 0, 9_000)));
    }

    @Test
    void aKeyThatIsAPrefixOfAnotherSeesOnlyItsOwnWindows() {
        store.put("a", 1_000, 1L);
        store.put("ab", 1_000, 2L);
        store.put("a\u0000", 500, 3L);
        assertEquals(List.of("1000=1"), drain(store.fetch("a", Long.MIN_VALUE, Long.MAX_VALUE)));
        assertEquals(List.of("1000=2"), drain(store.fetch("ab", 0, 2_000)));
    }

    @Test
    void negativeStartsSortBeforePositiveOnes() {
        store.put("a", 1_000, 1L);
        store.put("a", -1_000, 2L);
        store.put("a", 0, 3L);
        assertEquals(List.of("-1000=2", "0=3", "1000=1"), drain(store.fetch("a", -5_000, 5_000)));
    }

    @Test
    void fetchAllGivesEveryKeysWindowsByStart() {
        store.put("b", 2_000, 1L);
        store.put("a", 2_000, 2L);
        store.put("c", 1_000, 3L);
        store.put("a", 3_000, 4L);
        List<String> all = new ArrayList<>();
        try (KeyValueIterator<WindowedKey<String>, Long> it = store.fetchAll(1_000, 2_000)) {
            it.forEachRemaining(e -> all.add(e.key().key() + "@" + e.key().windowStart() + "=" + e.value()));
        }
        assertEquals(List.of("c@1000=3", "a@2000=2", "b@2000=1"), all);
    }

    @Test
    void deleteOlderThanDropsEveryKeysOldWindowsOnly() {
        for (long start = 0; start < 10_000; start += 1_000) {
            store.put("a", start, start);
            store.put("b", start, start);
        }
        store.deleteOlderThan(7_000);
        assertEquals(List.of("7000=7000", "8000=8000", "9000=9000"), drain(store.fetch("a", 0, 20_000)));
        assertEquals(List.of("7000=7000", "8000=8000", "9000=9000"), drain(store.fetch("b", 0, 20_000)));
        try (KeyValueIterator<WindowedKey<String>, Long> it = store.fetchAll(Long.MIN_VALUE, 6_999)) {
            assertEquals(false, it.hasNext());
        }
        assertEquals(6, store.approximateNumEntries());
    }

    @Test
    void nullPutDeletesAWindow() {
        store.put("a", 1_000, 1L);
        store.put("a", 2_000, 2L);
        store.put("a", 1_000, null);
        assertNull(store.fetch("a", 1_000));
        assertEquals(List.of("2000=2"), drain(store.fetch("a", 0, 5_000)));
    }

    @Test
    void rangeReadsSeeTheWritesAndDeletesMadeBetweenThem() {
        store.put("a", 1_000, 1L);
        assertEquals(List.of("1000=1"), drain(store.fetch("a", 0, 5_000)));
        store.put("a", 1_000, null);
        store.put("a", 3_000, 3L);
        assertEquals(List.of("3000=3"), drain(store.fetch("a", 2_000, 5_000)));
        store.put("a", 500, 5L);
        store.put("a", 3_000, 4L);
        store.put("b", 2_000, 2L);
        assertEquals(List.of("500=5", "3000=4"), drain(store.fetch("a", Long.MIN_VALUE, Long.MAX_VALUE)));
        store.put("a", 500, null);
        store.put("a", 3_000, null);
        assertEquals(List.of(), drain(store.fetch("a", Long.MIN_VALUE, Long.MAX_VALUE)));
        assertEquals(List.of(), drain(store.fetch("a", 5_000, 0)));
        assertEquals(List.of("b@2000=2"), drainAll(store.fetchAll(Long.MIN_VALUE, Long.MAX_VALUE)));
    }

    @Test
    void twoRangeReadsCanBeOpenAtOnce() {
        store.put("a", 1_000, 1L);
        store.put("a", 2_000, 2L);
        store.put("b", 1_000, 3L);
        List<String> seen = new ArrayList<>();
        try (KeyValueIterator<Long, Long> a = store.fetch("a", 0, 5_000)) {
            while (a.hasNext()) {
                StoreEntry<Long, Long> window = a.next();
                seen.add("a" + window.key() + "=" + window.value() + " b" + drain(store.fetch("b", 0, 5_000)));
            }
        }
        assertEquals(List.of("a1000=1 b[1000=3]", "a2000=2 b[1000=3]"), seen);
    }

    /** {@code key@start=value} of every window {@code iterator} gives, in its order. */
    static List<String> drainAll(KeyValueIterator<WindowedKey<String>, Long> iterator) {
        List<String> out = new ArrayList<>();
        try (iterator) {
            while (iterator.hasNext()) {
                StoreEntry<WindowedKey<String>, Long> entry = iterator.next();
                out.add(entry.key().key() + "@" + entry.key().windowStart() + "=" + entry.value());
            }
        }
        return out;
    }

    static List<String> drain(KeyValueIterator<Long, Long> iterator) {
        List<String> out = new ArrayList<>();
        try (iterator) {
            while (iterator.hasNext()) {
                StoreEntry<Long, Long> entry = iterator.next();
                out.add(entry.key() + "=" + entry.value());
            }
        }
        return out;
    }
}
