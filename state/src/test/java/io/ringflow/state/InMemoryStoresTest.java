package io.ringflow.state;

import io.ringflow.state.memory.InMemoryKeyValueStore;
import io.ringflow.state.memory.InMemoryStateBackend;
import io.ringflow.state.memory.InMemoryTimerTable;
import io.ringflow.state.memory.InMemoryWindowStore;
import io.ringflow.state.timers.BufferedTimerStore;
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

    @Nested
    class Timers extends TimerStoreContract {
        @Override
        protected TimerStore<String> createStore() {
            return new InMemoryStateBackend().timerStore(0, "timers", Serdes.string());
        }

        @Override
        protected boolean isHeap() {
            return true;
        }
    }

    @Nested
    class TimersWrittenAtOnce extends TimerStoreContract {
        @Override
        protected TimerStore<String> createStore() {
            return new BufferedTimerStore<>("timers", Serdes.string(), new InMemoryTimerTable("timers"), 1);
        }

        @Override
        protected boolean isHeap() {
            return true;
        }
    }

    @Nested
    class Versioned extends VersionedStoreContract {
        @Override
        protected VersionedStore<String, Long> createStore() {
            return new InMemoryStateBackend().versionedStore(0, "versions", Serdes.string(), Serdes.longs());
        }

        @Override
        protected long countVersions() {
            return store.approximateNumEntries();
        }
    }
}
