package io.ringflow.state;

import io.ringflow.state.memory.InMemoryKeyValueStore;
import io.ringflow.state.memory.InMemoryWindowStore;
import org.junit.jupiter.api.Nested;

/** The store contracts on the heap. */
class InMemoryStoresTest {

    @Nested
    class KeyValue extends KeyValueStoreContract {
        @Override
        protected KeyValueStore<String, Long> createStore() {
            return new InMemoryKeyValueStore<>("counts", Serdes.string());
        }
    }

    @Nested
    class Window extends WindowStoreContract {
        @Override
        protected WindowStore<String, Long> createStore() {
            return new InMemoryWindowStore<>("windows", Serdes.string());
        }
    }
}
