package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/**
 * The join's state is bounded by its interval, not its input: after a long run, a checkpoint of
 * a pipeline at parallelism 2 on RocksDB holds only the records the watermark has not yet
 * expired. Counted exactly, by reading every entry of the join's column families in the
 * checkpoint's databases. {@code -Dinterval.records=1000000 -Dinterval.keys=10000
 * -Dinterval.millis=10000} runs the big case the README reports.
 */
class IntervalJoinStateTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final long OUT_OF_ORDERNESS = 20;

    @TempDir
    Path directory;

    /** Record i is on the left when i is even, 1 ms after record i - 1, out of order by up to 20 ms. */
    private static List<String> side(boolean left, int records, int keys) {
        Random random = new Random(left ? 1 : 2);
        List<String> lines = new ArrayList<>(records / 2);
        for (int i = left ? 0 : 1; i < records; i += 2) {
            long time = 1_000_000 + i - random.nextInt((int) OUT_OF_ORDERNESS + 1);
            lines.add("k" + random.nextInt(keys) + "," + time + "," + i);
        }
        return lines;
    }

    /** Emits every line, then waits for {@code end}, so a checkpoint can be taken with the state as the run left it. */
    private static Source<String> source(List<String> lines, AtomicInteger emitted, AtomicBoolean end) {
        return context -> {
            for (String line : lines) {
                if (!context.isRunning()) {
                    return;
                }
                context.emit(line);
                emitted.incrementAndGet();
            }
            while (context.isRunning() && !end.get()) {
                Thread.sleep(1);
            }
        };
    }

    @Test
    void aCheckpointAfterTheRunHoldsOnlyTheRecordsOfTheLastInterval() throws Exception {
        int records = Integer.getInteger("interval.records", 100_000);
        int keys = Integer.getInteger("interval.keys", 1_000);
        long interval = Long.getLong("interval.millis", 1_000); // before + after, split in two
        List<String> left = side(true, records, keys);
        List<String> right = side(false, records, keys);
        AtomicInteger emitted = new AtomicInteger();
        AtomicBoolean end = new AtomicBoolean();
        StreamBuilder builder = new StreamBuilder("bounded");
        KeyedStream<String, String> l = builder.source("left", source(left, emitted, end),
                IntervalJoinTest.eventTime(OUT_OF_ORDERNESS)).keyBy(IntervalJoinTest::key);
        KeyedStream<String, String> r = builder.source("right", source(right, emitted, end),
                IntervalJoinTest.eventTime(OUT_OF_ORDERNESS)).keyBy(IntervalJoinTest::key);
        CollectingSink<KeyValue<String, String>> sink = new CollectingSink<>();
        l.intervalJoin(r).between(Duration.ofMillis(interval / 2), Duration.ofMillis(interval / 2))
                .outerJoin((a, b) -> "", Named.as("join")).to(sink, Named.as("out"));
        long started = System.nanoTime();
        Map<String, Long> entries;
        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withParallelism(2)
                .withStateDirectory(directory).withCheckpointing(Duration.ZERO))) {
            pipeline.start();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (emitted.get() < records) {
                assertTrue(System.nanoTime() < deadline, "timed out");
                Thread.sleep(5);
            }
            long id = pipeline.checkpoint(TIMEOUT);
            entries = entries(directory.resolve("checkpoints").resolve("chk-" + id), "join");
            end.set(true);
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000;
        long stored = entries.getOrDefault("join", 0L) + entries.getOrDefault("join.right", 0L);
        System.out.println("IntervalJoinStateTest: " + records + " records, " + keys + " keys, interval " + interval
                + " ms: " + stored + " (key, time) entries buffered at the end, per column family " + entries
                + ", " + sink.size() + " results, " + seconds + " s");
        // Half the records are on each side, 1 ms apart: a side holds those within its bound plus
        // the watermark's lag (out of order by up to 20 ms on each input) behind the last one.
        long bound = interval / 2 + 4 * OUT_OF_ORDERNESS + 10;
        assertTrue(stored > 0 && stored <= bound, stored + " buffered, more than " + bound);
        assertEquals(entries.getOrDefault("join", 0L), entries.getOrDefault("join.by-start", 0L),
                "one time-index entry per left (key, time)");
        assertEquals(entries.getOrDefault("join.right", 0L), entries.getOrDefault("join.right.by-start", 0L));
    }

    /** Every entry of every column family named {@code store} or {@code store.*}, summed over the shards' databases. */
    static Map<String, Long> entries(Path checkpoint, String store) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (var shards = Files.list(checkpoint)) {
            for (Path shard : shards.filter(p -> p.getFileName().toString().startsWith("shard-")).toList()) {
                if (Files.exists(shard.resolve("CURRENT"))) {
                    count(shard, store, counts);
                }
            }
        }
        return counts;
    }

    private static void count(Path database, String store, Map<String, Long> counts) throws Exception {
        List<byte[]> names;
        try (Options options = new Options()) {
            names = RocksDB.listColumnFamilies(options, database.toString());
        }
        List<ColumnFamilyDescriptor> descriptors = names.stream().map(ColumnFamilyDescriptor::new).toList();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions();
             RocksDB db = RocksDB.openReadOnly(options, database.toString(), descriptors, handles)) {
            for (int i = 0; i < names.size(); i++) {
                String name = new String(names.get(i), StandardCharsets.UTF_8);
                if (name.equals(store) || name.startsWith(store + ".")) {
                    long n = 0;
                    try (RocksIterator iterator = db.newIterator(handles.get(i))) {
                        for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                            n++;
                        }
                    }
                    counts.merge(name, n, Long::sum);
                }
            }
        } finally {
            handles.forEach(ColumnFamilyHandle::close);
        }
    }
}
