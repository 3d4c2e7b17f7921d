package io.ringflow.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.state.cache.CachingWindowStore;
import io.ringflow.state.rocksdb.RocksDbMemory;
import io.ringflow.state.rocksdb.RocksDbShard;
import io.ringflow.state.rocksdb.RocksDbWindowStore;
import java.nio.file.Path;
import java.util.ConcurrentModificationException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the window cache reads from and writes to RocksDB: a key's range is read from RocksDB
 * once, then from the cache; a window deleted before it was written leaves nothing behind;
 * and what was written comes back after a close and reopen.
 */
class CachingWindowStoreTest {

    @TempDir
    Path directory;

    private RocksDbMemory memory;
    private RocksDbShard shard;
    private RocksDbWindowStore<String, Long> rocks;
    private CachingWindowStore<String, Long> cached;
    private RocksDbWork work;

    @BeforeEach
    void open() throws Exception {
        memory = new RocksDbMemory(8L << 20);
        reopen();
        work = new RocksDbWork(directory.resolve("perf"));
    }

    private void reopen() {
        shard = RocksDbShard.open(directory.resolve("db"), memory);
        rocks = new RocksDbWindowStore<>(shard, "windows", Serdes.string(), Serdes.longs());
        cached = new CachingWindowStore<>(rocks, 100);
    }

    private void closeAndReopen() {
        cached.close();
        shard.close();
        reopen();
    }

    @AfterEach
    void close() {
        work.close();
        cached.close();
        shard.close();
        memory.close();
    }

    @Test
    void aKeysRangeIsReadFromRocksDbOnceThenFromTheCache() {
        cached.put("a", 1_000, 1L);
        cached.flush();
        closeAndReopen();
        work.reset();
        assertEquals(List.of("1000=1"), WindowStoreContract.drain(cached.fetch("a", 0, 5_000)));
        assertEquals(1, work.seeks(), "the first read of the key");
        work.reset();
        cached.put("a", 2_000, 2L);
        cached.put("a", 1_000, null);
        assertEquals(List.of("2000=2"), WindowStoreContract.drain(cached.fetch("a", 0, 5_000)));
        assertEquals(List.of("2000=2"), WindowStoreContract.drain(cached.fetch("a", 500, Long.MAX_VALUE)));
        assertNull(cached.fetch("a", 3_000), "known absent, not looked up");
        assertEquals(0, work.seeks(), "everything of a from 0 on is cached");
        assertEquals(List.of("1000=1"), WindowStoreContract.drain(rocks.fetch("a", 0, 5_000)), "not written yet");
    }

    @Test
    void aReadBelowWhatTheCacheHoldsOfAKeyReadsRocksDbFromThere() {
        cached.put("a", 1_000, 1L);
        cached.put("a", 3_000, 3L);
        cached.flush();
        closeAndReopen();
        assertEquals(List.of("3000=3"), WindowStoreContract.drain(cached.fetch("a", 2_000, 5_000)));
        cached.put("a", 4_000, 4L);
        assertEquals(List.of("1000=1", "3000=3", "4000=4"), WindowStoreContract.drain(cached.fetch("a", 0, 5_000)));
    }

    @Test
    void aWindowDeletedBeforeItWasWrittenLeavesNoTombstoneInRocksDb() {
        cached.fetch("a", Long.MIN_VALUE, Long.MAX_VALUE).close(); // as sessions do: read the key, then write it
        cached.put("a", 1_000, 1L);
        cached.put("a", 1_000, null);
        cached.put("a", 2_000, 2L);
        cached.flush();
        cached.put("a", 2_000, null);   // written once: its delete must be written too
        cached.flush();
        work.reset();
        assertEquals(List.of(), WindowStoreContract.drain(rocks.fetch("a", Long.MIN_VALUE, Long.MAX_VALUE)));
        assertEquals(1, work.tombstonesSkipped(), "only the window that was written leaves a tombstone");
    }

    @Test
    void writtenWindowsComeBackAfterACloseAndDeletedOnesDoNot() {
        cached.put("a", 1_000, 1L);
        cached.put("b", 1_000, 10L);
        cached.flush();
        cached.put("a", 1_000, null);
        cached.put("a", 2_000, 2L);
        cached.put("b", 1_000, 11L);
        cached.put("c", 500, null);
        closeAndReopen();
        assertEquals(List.of("2000=2"), WindowStoreContract.drain(cached.fetch("a", Long.MIN_VALUE, Long.MAX_VALUE)));
        assertEquals(List.of("b@1000=11", "a@2000=2"),
                WindowStoreContract.drainAll(cached.fetchAll(Long.MIN_VALUE, Long.MAX_VALUE)));
        assertEquals(11L, cached.fetch("b", 1_000));
    }

    @Test
    void readingTheFirstWindowOfEveryKeyReadsRocksDbOnlyThatFar() {
        for (int i = 0; i < 10_000; i++) {
            rocks.put("k" + i, 1_000 + i, (long) i);
        }
        cached.put("a", 500, 5L);
        cached.put("b", 20_000, 20L);
        work.reset();
        try (KeyValueIterator<WindowedKey<String>, Long> all = cached.fetchAll(Long.MIN_VALUE, Long.MAX_VALUE)) {
            assertEquals(new WindowedKey<>("a", 500), all.next().key());
            assertEquals(new WindowedKey<>("k0", 1_000), all.next().key());
        }
        assertTrue(work.gets() <= 3, "RocksDB looked up " + work.gets() + " windows for the first two");
        assertEquals(10_002, WindowStoreContract.drainAll(cached.fetchAll(Long.MIN_VALUE, Long.MAX_VALUE)).size());
    }

    @Test
    void aRangeReadRefusesToGoOnAfterItsKeyGainedOrLostAWindow() {
        cached.put("a", 1_000, 1L);
        cached.put("a", 2_000, 2L);
        try (KeyValueIterator<Long, Long> reading = cached.fetch("a", 0, 5_000)) {
            reading.next();
            cached.put("a", 1_500, 15L);
            assertThrows(ConcurrentModificationException.class, reading::hasNext);
        }
    }
}
