package io.ringflow.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ringflow.state.Serdes;
import io.ringflow.state.cache.CachingWindowStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;

/**
 * Opening a window RocksDB cannot hold reads nothing from it: each grid line of a time window
 * used to cost one RocksDB get per key, all within milliseconds of each other. What RocksDB
 * does hold is still found, after a flush, after the cache was emptied and after a reopen.
 */
class CachedWindowReadsTest {

    private static final int KEYS = 1_000;

    @TempDir
    Path directory;

    @Test
    void aWindowLaterThanAnyWrittenIsOpenedWithoutARead() throws Exception {
        try (RocksDbMemory memory = new RocksDbMemory(8L << 20);
             Statistics statistics = new Statistics();
             RocksDbShard shard = RocksDbShard.open(directory.resolve("db"), memory, statistics)) {
            CachingWindowStore<String, Long> store = store(shard, 100_000);
            for (int key = 0; key < KEYS; key++) {
                store.put("k" + key, 0, (long) key);
            }
            store.flush(); // RocksDB now holds windows starting at 0
            statistics.reset();
            for (int key = 0; key < KEYS; key++) {
                assertNull(store.fetch("k" + key, 1_000)); // the next grid line: new everywhere
                store.put("k" + key, 1_000, (long) key);
            }
            assertEquals(0, statistics.getTickerCount(TickerType.NUMBER_KEYS_READ));
            store.close();
        }
    }

    @Test
    void windowsRocksDbHoldsAreStillReadAfterTheCacheForgotThem() {
        try (RocksDbMemory memory = new RocksDbMemory(8L << 20);
             Statistics statistics = new Statistics();
             RocksDbShard shard = RocksDbShard.open(directory.resolve("db"), memory, statistics)) {
            // A cache of 2 entries: the third dirty window flushes them all and empties it.
            CachingWindowStore<String, Long> store = store(shard, 2);
            assertNull(store.fetch("a", 5_000)); // learns that RocksDB is empty
            store.put("a", 5_000, 1L);
            store.put("b", 5_000, 2L);
            store.put("c", 6_000, 3L);
            store.put("d", 7_000, 4L);
            store.flush();
            assertEquals(1L, store.fetch("a", 5_000));
            assertEquals(3L, store.fetch("c", 6_000));
            assertEquals(4L, store.fetch("d", 7_000));
            assertNull(store.fetch("d", 8_000));
            store.deleteOlderThan(7_000);
            assertNull(store.fetch("c", 6_000));
            assertEquals(4L, store.fetch("d", 7_000));
            store.close();
        }
        try (RocksDbMemory memory = new RocksDbMemory(8L << 20);
             RocksDbShard shard = RocksDbShard.open(directory.resolve("db"), memory)) {
            CachingWindowStore<String, Long> reopened = store(shard, 100_000);
            assertEquals(4L, reopened.fetch("d", 7_000));
            assertNull(reopened.fetch("a", 5_000));
            reopened.close();
        }
    }

    @Test
    void deletingEverythingThenWritingAgainIsSeen() {
        try (RocksDbMemory memory = new RocksDbMemory(8L << 20);
             RocksDbShard shard = RocksDbShard.open(directory.resolve("db"), memory)) {
            CachingWindowStore<String, Long> store = store(shard, 1);
            assertNull(store.fetch("z", 0)); // learns that RocksDB is empty
            store.put("a", 1_000, 1L); // a cache of one: written at once
            store.deleteOlderThan(2_000); // RocksDB now holds nothing
            store.put("a", 3_000, 3L);
            store.put("b", 500, 5L); // earlier than anything before, written after the delete
            store.flush();
            assertEquals(5L, store.fetch("b", 500));
            assertEquals(3L, store.fetch("a", 3_000));
            CachingWindowStore<String, Long> other = store(shard, 100_000); // an empty cache over the same data
            assertEquals(3L, other.fetch("a", 3_000));
            assertEquals(5L, other.fetch("b", 500));
            assertNull(other.fetch("a", 1_000));
        }
    }

    @Test
    void closingSomeWindowsOfManyKeysLeavesEveryOtherWindowAsItWas() {
        try (RocksDbMemory memory = new RocksDbMemory(8L << 20);
             RocksDbShard shard = RocksDbShard.open(directory.resolve("db"), memory)) {
            CachingWindowStore<String, Long> store = store(shard, 100_000);
            for (int key = 0; key < KEYS; key++) {
                store.put("k" + key, 1_000, (long) key); // open: the next window of every key
            }
            for (int key = 0; key < 10; key++) {
                store.put("k" + key, 0, (long) key); // closing: ten of them
            }
            store.put("k3", 0, null); // deleted before it closed
            List<String> closed = new ArrayList<>();
            try (var closing = store.fetchAll(Long.MIN_VALUE, 0)) {
                closing.forEachRemaining(e -> closed.add(e.key().key() + "@" + e.key().windowStart() + "=" + e.value()));
            }
            assertEquals(List.of("k0@0=0", "k1@0=1", "k2@0=2", "k4@0=4", "k5@0=5", "k6@0=6", "k7@0=7", "k8@0=8", "k9@0=9"),
                    closed);
            store.deleteOlderThan(1);
            List<String> open = new ArrayList<>();
            try (var all = store.fetchAll(Long.MIN_VALUE, Long.MAX_VALUE)) {
                all.forEachRemaining(e -> open.add(e.key().key() + "@" + e.key().windowStart()));
            }
            List<String> keys = new ArrayList<>();
            for (int key = 0; key < KEYS; key++) {
                keys.add("k" + key);
            }
            keys.sort(null); // one start's windows come in key-bytes order, as RocksDB orders them
            assertEquals(keys.stream().map(k -> k + "@1000").toList(), open);
            assertNull(store.fetch("k5", 0));
            assertEquals(5L, store.fetch("k5", 1_000));
            store.close();
        }
    }

    private static CachingWindowStore<String, Long> store(RocksDbShard shard, int entries) {
        return new CachingWindowStore<>(new RocksDbWindowStore<>(shard, "windows", Serdes.string(), Serdes.longs()), entries);
    }
}
