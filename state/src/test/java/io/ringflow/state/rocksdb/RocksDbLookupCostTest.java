package io.ringflow.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;
import org.rocksdb.WriteBatch;

/**
 * A lookup in a large store must not read its file's whole filter or index again. With one
 * filter block per file, a million keys make a 1.2 MB filter, larger than a shard of the
 * block cache (512 KiB of 8 MiB; 1 MiB of the default 64 MiB): it never stayed cached, every
 * get read all of it back and a keyed count fell from 190,000 to 5,000 records/s once compaction had
 * moved its file out of L0. Counted with RocksDB's own statistics, not timed.
 */
class RocksDbLookupCostTest {

    private static final int KEYS = 1_000_000;
    private static final int LOOKUPS = 10_000;

    @TempDir
    Path directory;

    @Test
    void aLookupReadsOnlyTheFilterAndIndexPartitionsItNeeds() throws Exception {
        try (RocksDbMemory memory = new RocksDbMemory(8L << 20);
             Statistics statistics = new Statistics();
             RocksDbShard shard = RocksDbShard.open(directory.resolve("db"), memory, statistics)) {
            ColumnFamilyHandle family = shard.family("counts");
            for (int from = 0; from < KEYS; from += 10_000) {
                try (WriteBatch batch = new WriteBatch()) {
                    for (int i = from; i < from + 10_000; i++) {
                        // Out of order, as keys come: flushed files overlap, so compaction merges
                        // them into one large file (in order they would stay many small ones).
                        int key = (int) ((i * 7_919L) % KEYS);
                        batch.put(family, key(key), ByteBuffer.allocate(Long.BYTES).putLong(key).array());
                    }
                    shard.db().write(shard.writeOptions(), batch);
                }
            }
            shard.db().compactRange(family); // out of L0, whose filter and index blocks are pinned
            // Warm up: load the partitions, once each.
            SplittableRandom random = new SplittableRandom(7);
            for (int i = 0; i < LOOKUPS; i++) {
                shard.db().get(family, key(random.nextInt(KEYS)));
            }
            statistics.reset();
            for (int i = 0; i < LOOKUPS; i++) {
                int key = random.nextInt(KEYS);
                assertEquals(key, ByteBuffer.wrap(shard.db().get(family, key(key))).getLong());
            }
            long filterMisses = statistics.getTickerCount(TickerType.BLOCK_CACHE_FILTER_MISS);
            long indexMisses = statistics.getTickerCount(TickerType.BLOCK_CACHE_INDEX_MISS);
            long filterBytes = statistics.getTickerCount(TickerType.BLOCK_CACHE_FILTER_BYTES_INSERT);
            // A whole-file filter and index missed on every lookup; 4 KiB partitions in an 8 MiB
            // cache miss on about one in twenty (measured: 513 and 492 in 10,000).
            assertTrue(filterMisses < LOOKUPS / 5 && indexMisses < LOOKUPS / 5,
                    "lookups missed filter / index blocks " + filterMisses + " / " + indexMisses + " times in " + LOOKUPS);
            assertTrue(filterBytes < LOOKUPS * 8_192L,
                    "lookups read " + filterBytes + " bytes of filter blocks into the cache for " + LOOKUPS + " gets");
        }
    }

    private static byte[] key(int key) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(key).array();
    }
}
