package io.ringflow.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link KeyValueStore} does, whatever keeps its data; one subclass per implementation. */
abstract class KeyValueStoreContract {

    protected KeyValueStore<String, Long> store;

    /** A new, empty store named "counts" with String keys and Long values. */
    protected abstract KeyValueStore<String, Long> createStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = createStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void putThenGetReturnsTheLatestValue() {
        store.put("a", 1L);
        store.put("a", 2L);
        store.put("b", 7L);
        assertEquals(2L, store.get("a"));
        assertEquals(7L, store.get("b"));
        assertNull(store.get("c"));
    }

    @Test
    void putIfAbsentKeepsAnExistingValue() {
        assertNull(store.putIfAbsent("a", 1L));
        assertEquals(1L, store.putIfAbsent("a", 5L));
        assertEquals(1L, store.get("a"));
    }

    @Test
    void deleteAndNullPutRemoveTheKey() {
        store.put("a", 1L);
        store.put("b", 2L);
        assertEquals(1L, store.delete("a"));
        assertNull(store.delete("a"));
        store.put("b", null);
        store.flush();
        assertNull(store.get("a"));
        assertNull(store.get("b"));
        assertEquals(List.of(), drain(store.all()));
    }

    @Test
    void rangeIsFromInclusiveToExclusiveInKeyOrder() {
        for (String key : List.of("d", "a", "c", "e", "b")) {
            store.put(key, (long) key.charAt(0));
        }
        assertEquals(List.of("b=98", "c=99", "d=100"), drain(store.range("b", "e")));
        assertEquals(List.of(), drain(store.range("x", "z")));
    }

    @Test
    void prefixScanReturnsOnlyKeysStartingWithThePrefix() {
        for (String key : List.of("user:2", "order:1", "user:10", "user", "users")) {
            store.put(key, 1L);
        }
        assertEquals(List.of("user:10=1", "user:2=1"), drain(store.prefixScan("user:")));
    }

    @Test
    void allVisitsEveryEntryInByteOrderAfterOverwritesAndDeletes() {
        store.put("b", 1L);
        store.put("a", 1L);
        store.put("c", 1L);
        store.put("b", 2L);
        store.delete("c");
        assertEquals(List.of("a=1", "b=2"), drain(store.all()));
    }

    @Test
    void iteratorsCanBeClosedEarly() {
        store.put("a", 1L);
        store.put("b", 2L);
        try (KeyValueIterator<String, Long> it = store.all()) {
            assertEquals("a", it.next().key());
        }
        assertEquals(2L, store.get("b"));
    }

    @Test
    void approximateCountOfDistinctKeys() {
        store.put("a", 1L);
        store.put("b", 1L);
        store.put("c", 1L);
        assertEquals(3, store.approximateNumEntries());
    }

    @Test
    void aThousandKeysReadBackAfterFlush() {
        for (long i = 0; i < 1_000; i++) {
            store.put("k" + i, i);
        }
        store.flush();
        for (long i = 0; i < 1_000; i++) {
            assertEquals(i, store.get("k" + i));
        }
        assertEquals(1_000, drain(store.all()).size());
    }

    static List<String> drain(KeyValueIterator<String, Long> iterator) {
        List<String> out = new ArrayList<>();
        try (iterator) {
            while (iterator.hasNext()) {
                StoreEntry<String, Long> entry = iterator.next();
                out.add(entry.key() + "=" + entry.value());
            }
        }
        return out;
    }
}
