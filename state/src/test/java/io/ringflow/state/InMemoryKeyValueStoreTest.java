package io.ringflow.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InMemoryKeyValueStoreTest {

    private final KeyValueStore<String, Long> store = new InMemoryKeyValueStore<>("counts");

    @Test
    void putThenGetReturnsLatestValue() {
        store.put("a", 1L);
        store.put("a", 2L);
        assertEquals(2L, store.get("a"));
        assertNull(store.get("b"));
        assertEquals(1, store.approximateNumEntries());
    }

    @Test
    void putIfAbsentKeepsExistingValue() {
        assertNull(store.putIfAbsent("a", 1L));
        assertEquals(1L, store.putIfAbsent("a", 5L));
        assertEquals(1L, store.get("a"));
    }

    @Test
    void deleteAndNullPutRemoveTheKey() {
        store.put("a", 1L);
        store.put("b", 2L);
        assertEquals(1L, store.delete("a"));
        store.put("b", null);
        assertNull(store.get("a"));
        assertNull(store.get("b"));
        assertEquals(0, store.approximateNumEntries());
    }

    @Test
    void closedStoreNamesItselfInTheError() {
        store.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.get("a"));
        assertTrue(e.getMessage().contains("'counts'"), e.getMessage());
    }
}
