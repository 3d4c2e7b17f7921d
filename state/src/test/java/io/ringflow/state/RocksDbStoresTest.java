package io.ringflow.state;

import io.ringflow.state.rocksdb.RocksDbStateBackend;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The store contracts on a real RocksDB in a temporary directory: straight, and behind the write-back cache. */
class RocksDbStoresTest {

    @TempDir
    Path directory;

    private RocksDbStateBackend backend;

    @AfterEach
    void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    private RocksDbStateBackend backend(int cacheEntries) {
        backend = new RocksDbStateBackend(directory, 1, 16L << 20, cacheEntries);
        return backend;
    }

    @Nested
    class KeyValueWithoutCache extends KeyValueStoreContract {
        @Override
        protected KeyValueStore<String, Long> createStore() {
            return backend(0).keyValueStore(0, "counts", Serdes.string(), Serdes.longs());
        }
    }

    @Nested
    class KeyValueBehindATinyCache extends KeyValueStoreContract {
        @Override
        protected KeyValueStore<String, Long> createStore() {
            // Three entries: most tests overflow it, exercising early flushes and eviction.
            return backend(3).keyValueStore(0, "counts", Serdes.string(), Serdes.longs());
        }
    }

    @Nested
    class KeyValueWithInferredSerdes extends KeyValueStoreContract {
        @Override
        protected KeyValueStore<String, Long> createStore() {
            return backend(100).keyValueStore(0, "counts", new InferredSerde<>("counts", "key"),
                    new InferredSerde<>("counts", "value"));
        }
    }

    @Nested
    class Window extends WindowStoreContract {
        @Override
        protected WindowStore<String, Long> createStore() {
            return backend(0).windowStore(0, "windows", Serdes.string(), Serdes.longs());
        }
    }

    @Nested
    class WindowBehindATinyCache extends WindowStoreContract {
        @Override
        protected WindowStore<String, Long> createStore() {
            return backend(3).windowStore(0, "windows", Serdes.string(), Serdes.longs());
        }
    }

    @Nested
    class WindowBehindALargeCache extends WindowStoreContract {
        @Override
        protected WindowStore<String, Long> createStore() {
            return backend(10_000).windowStore(0, "windows", Serdes.string(), Serdes.longs());
        }
    }

    @Nested
    class TimersWrittenAtOnce extends TimerStoreContract {
        @Override
        protected TimerStore<String> createStore() {
            return backend(0).timerStore(0, "timers", Serdes.string());
        }
    }

    @Nested
    class TimersBehindATinyBuffer extends TimerStoreContract {
        @Override
        protected TimerStore<String> createStore() {
            return backend(3).timerStore(0, "timers", Serdes.string());
        }
    }

    @Nested
    class TimersBehindALargeBuffer extends TimerStoreContract {
        @Override
        protected TimerStore<String> createStore() {
            return backend(10_000).timerStore(0, "timers", Serdes.string());
        }
    }

    @Nested
    class Versioned extends VersionedStoreContract {
        @Override
        protected VersionedStore<String, Long> createStore() {
            return backend(0).versionedStore(0, "versions", Serdes.string(), Serdes.longs());
        }

        @Override
        protected long countVersions() {
            return countEntries(backend, "versions");
        }
    }

    @Nested
    class VersionedBehindATinyExpiryBuffer extends VersionedStoreContract {
        @Override
        protected VersionedStore<String, Long> createStore() {
            return backend(3).versionedStore(0, "versions", Serdes.string(), Serdes.longs());
        }

        @Override
        protected long countVersions() {
            return countEntries(backend, "versions");
        }
    }

    @Nested
    class VersionedWithEveryKeysNewestVersionHeld extends VersionedStoreContract {
        @Override
        protected VersionedStore<String, Long> createStore() {
            return backend(10_000).versionedStore(0, "versions", Serdes.string(), Serdes.longs());
        }

        @Override
        protected long countVersions() {
            return countEntries(backend, "versions");
        }
    }

    /** Exactly how many entries shard 0's column family {@code family} holds, read as raw bytes. */
    static long countEntries(RocksDbStateBackend backend, String family) {
        long count = 0;
        KeyValueStore<byte[], byte[]> raw = backend.keyValueStore(0, family, Serdes.byteArray(), Serdes.byteArray());
        try (KeyValueIterator<byte[], byte[]> all = raw.all()) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        raw.close();
        return count;
    }
}
