package io.ringflow.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ringflow.state.cache.CachingKeyValueStore;
import io.ringflow.state.rocksdb.RocksDbKeyValueStore;
import io.ringflow.state.rocksdb.RocksDbMemory;
import io.ringflow.state.rocksdb.RocksDbShard;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the write-back cache writes to RocksDB: when it is full, on flush, and on close. */
class CachingKeyValueStoreTest {

    @TempDir
    Path directory;

    private RocksDbMemory memory;
    private RocksDbShard shard;
    private RocksDbKeyValueStore<String, Long> rocks;
    private CachingKeyValueStore<String, Long> cached;

    @BeforeEach
    void open() {
        memory = new RocksDbMemory(8L << 20);
        shard = RocksDbShard.open(directory, memory);
        rocks = new RocksDbKeyValueStore<>(shard, "counts", Serdes.string(), Serdes.longs());
        cached = new CachingKeyValueStore<>(rocks, 8);
    }

    @AfterEach
    void close() {
        cached.close();
        shard.close();
        memory.close();
    }

    @Test
    void updatesStayInTheCacheAcrossBatchesUntilItIsFull() {
        for (int update = 0; update < 100; update++) {
            cached.put("hot", (long) update);
            cached.endOfBatch();
        }
        for (int i = 0; i < 6; i++) {
            cached.put("k" + i, (long) i);
        }
        cached.endOfBatch();
        assertEquals(7, cached.dirtyEntries());
        assertNull(rocks.get("hot"), "seven dirty keys of eight: nothing written yet");
        assertEquals(99L, cached.get("hot"));

        cached.put("k6", 6L);
        assertEquals(0, cached.dirtyEntries());
        assertEquals(99L, rocks.get("hot"), "the eighth dirty key writes all eight, each once");
        assertEquals(6L, rocks.get("k6"));
        assertEquals(99L, cached.get("hot"), "written entries stay cached for reads");
    }

    @Test
    void deletesAreWrittenAndForgotten() {
        rocks.put("gone", 5L);
        cached.put("gone", null);
        assertNull(cached.get("gone"));
        assertEquals(5L, rocks.get("gone"), "the delete is still only in the cache");
        cached.flush();
        assertNull(rocks.get("gone"));
        assertNull(cached.get("gone"));
    }

    @Test
    void closeWritesEverythingThrough() {
        cached.put("a", 1L);
        cached.close();
        rocks = new RocksDbKeyValueStore<>(shard, "counts", Serdes.string(), Serdes.longs());
        assertEquals(1L, rocks.get("a"));
        cached = new CachingKeyValueStore<>(rocks, 8);
    }
}
