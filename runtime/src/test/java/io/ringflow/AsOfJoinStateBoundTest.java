package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.KeyValueStore;
import io.ringflow.state.Serdes;
import io.ringflow.state.internal.CheckpointFormat;
import io.ringflow.state.rocksdb.RocksDbStateBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An as-of join's state follows the history, not the input: after a long run on RocksDB at
 * parallelism 2 (its inputs still open, so the watermark is where the records put it), a
 * checkpoint holds, entry for entry, the trades the watermark has not passed and, of each key,
 * the quotes newer than {@code watermark - history} plus the one valid then. Defaults: 100,000
 * records over 1,000 keys, history 1 s, 1 ms apart; {@code -Dasof.bound.records},
 * {@code .keys} and {@code .history} (ms) change them (the README's figure: 1,000,000, 10,000, 10,000).
 */
class AsOfJoinStateBoundTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final int PARALLELISM = 2;
    private static final long OUT_OF_ORDERNESS = 10;

    @TempDir
    Path directory;

    @Test
    void aCheckpointAfterALongRunHoldsTheHistoryAndTheWaitingTradesAndNothingElse() throws Exception {
        int count = Integer.getInteger("asof.bound.records", 100_000);
        int keys = Integer.getInteger("asof.bound.keys", 1_000);
        long history = Long.getLong("asof.bound.history", 1_000);
        Random random = new Random(11);
        List<String> trades = new ArrayList<>();
        List<String> quotes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean quote = i % 2 == 1;
            String amount = quote && random.nextInt(10) == 0 ? "-" : String.valueOf(random.nextInt(1000));
            long time = Math.max(0, i - random.nextInt((int) OUT_OF_ORDERNESS));
            (quote ? quotes : trades).add("k" + random.nextInt(keys) + "," + time + "," + amount);
        }
        long watermark = Math.min(maxTime(trades), maxTime(quotes)) - OUT_OF_ORDERNESS;
        long released = trades.stream().filter(t -> AsOfFixtures.time(t) < watermark).count();

        Path state = directory.resolve("state");
        CollectingSink<KeyValue<String, String>> sink = new CollectingSink<>();
        ListSource tradeSource = new ListSource(trades, count);
        ListSource quoteSource = new ListSource(quotes, count);
        tradeSource.holdOpen.set(true);
        quoteSource.holdOpen.set(true);
        StreamBuilder builder = new StreamBuilder("as-of-bound");
        AsOfFixtures.pricedTrades(builder, tradeSource, quoteSource, OUT_OF_ORDERNESS, Duration.ofMillis(history),
                true, sink);
        long started = System.nanoTime();
        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withParallelism(PARALLELISM)
                .withStateDirectory(state).withCheckpointing(Duration.ZERO))) {
            pipeline.start();
            assertTrue(sink.awaitSize((int) released, TIMEOUT), "every trade the watermark passed left");
            assertEquals(1, pipeline.checkpoint(TIMEOUT));
            quoteSource.crash.set(true); // no final checkpoint: checkpoint 1 is the state as the run left it
            assertThrows(PipelineFailedException.class, () -> pipeline.awaitTermination(TIMEOUT));
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        Map<String, Long> counted = count(state.resolve(CheckpointFormat.CHECKPOINTS_DIRECTORY)
                .resolve(CheckpointFormat.checkpointDirectory(1)));
        long waiting = waitingEntries(trades, watermark);
        long kept = keptVersions(quotes, watermark - history);
        System.out.printf("as-of join state after %,d records over %,d keys, history %,d ms, in %,d ms: %s"
                        + " (expected %,d waiting, %,d versions; the input had %,d quotes)%n",
                count, keys, history, millis, counted, waiting, kept, quotes.size());
        assertEquals(waiting, counted.get("price"), "waiting (key, time) entries");
        assertEquals(waiting, counted.get("price.by-start"), "their time index");
        assertEquals(kept, counted.get("price.versions"), "versions");
        assertEquals(kept - validAtBound(quotes, watermark - history), counted.get("price.versions.expiry"),
                "expiry index: the versions newer than the bound");
        assertTrue(kept <= keys + quotes.stream().filter(q -> AsOfFixtures.time(q) > watermark - history).count());
    }

    private static long maxTime(List<String> records) {
        return records.stream().mapToLong(AsOfFixtures::time).max().orElseThrow();
    }

    /** Distinct (key, time) of the trades at or after the watermark: one entry each. */
    private static long waitingEntries(List<String> trades, long watermark) {
        Set<String> entries = new HashSet<>();
        trades.stream().filter(t -> AsOfFixtures.time(t) >= watermark)
                .forEach(t -> entries.add(AsOfFixtures.key(t) + "@" + AsOfFixtures.time(t)));
        return entries.size();
    }

    private static Map<String, TreeMap<Long, String>> histories(List<String> quotes) {
        Map<String, TreeMap<Long, String>> byKey = new HashMap<>();
        quotes.forEach(q -> byKey.computeIfAbsent(AsOfFixtures.key(q), k -> new TreeMap<>())
                .put(AsOfFixtures.time(q), q));
        return byKey;
    }

    /** Per key: the versions newer than {@code bound}, and the one valid at it unless a tombstone. */
    private static long keptVersions(List<String> quotes, long bound) {
        long kept = 0;
        for (TreeMap<Long, String> history : histories(quotes).values()) {
            kept += history.tailMap(bound, false).size();
        }
        return kept + validAtBound(quotes, bound);
    }

    private static long validAtBound(List<String> quotes, long bound) {
        long valid = 0;
        for (TreeMap<Long, String> history : histories(quotes).values()) {
            Map.Entry<Long, String> atBound = history.floorEntry(bound);
            valid += atBound != null && AsOfFixtures.version(atBound.getValue()) != null ? 1 : 0;
        }
        return valid;
    }

    /** Entries of each of the join's column families, summed over shards, read from a restored copy. */
    private Map<String, Long> count(Path checkpoint) {
        Path copy = directory.resolve("restored");
        RocksDbStateBackend.restore(checkpoint, copy, PARALLELISM);
        Map<String, Long> counts = new TreeMap<>();
        try (RocksDbStateBackend backend = new RocksDbStateBackend(copy, PARALLELISM, 64L << 20, 0)) {
            for (int shard = 0; shard < PARALLELISM; shard++) {
                for (String family : backend.storeNames(shard)) {
                    if (family.startsWith("price")) {
                        counts.merge(family, entries(backend, shard, family), Long::sum);
                    }
                }
            }
        }
        return counts;
    }

    private static long entries(RocksDbStateBackend backend, int shard, String family) {
        KeyValueStore<byte[], byte[]> raw = backend.keyValueStore(shard, family, Serdes.byteArray(),
                Serdes.byteArray());
        long entries = 0;
        try (KeyValueIterator<byte[], byte[]> all = raw.all()) {
            while (all.hasNext()) {
                all.next();
                entries++;
            }
        }
        raw.close();
        return entries;
    }
}
