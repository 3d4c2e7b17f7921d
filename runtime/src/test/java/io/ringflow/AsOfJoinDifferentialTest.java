package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.testing.TopologyTestDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Seeded random input against {@link AsOfReferenceModel}: on the test driver with out-of-order
 * and late input on both sides, tombstones and hand-advanced watermarks; in pipelines at
 * parallelism 1 and 2 on RocksDB, where the result must not depend on how the two inputs
 * interleave. {@code -Dasof.seed=N} replays a failure (the seed is in every message).
 */
class AsOfJoinDifferentialTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static long seed() {
        return Long.getLong("asof.seed", System.nanoTime());
    }

    private static String record(Random random, long time, boolean quote) {
        String key = "k" + random.nextInt(6);
        String amount = quote && random.nextInt(8) == 0 ? "-" : String.valueOf(random.nextInt(1000));
        return key + "," + time + "," + amount;
    }

    @Test
    void theDriverGivesWhatTheRulesSayForRandomInputWithLateRecordsOnBothSides() {
        for (int round = 0; round < 20; round++) {
            long seed = seed();
            Random random = new Random(seed);
            long outOfOrderness = random.nextInt(30);
            long history = random.nextInt(4) == 0 ? 0 : random.nextInt(200);
            boolean left = random.nextBoolean();
            StreamBuilder builder = new StreamBuilder("as-of-random");
            AsOfFixtures.pricedTrades(builder, CollectionSource.of("x,0,0"), CollectionSource.of("x,0,0"),
                    outOfOrderness, Duration.ofMillis(history), left, new CollectingSink<>());
            AsOfReferenceModel model = new AsOfReferenceModel(history, left);
            long[] maxTime = {Long.MIN_VALUE, Long.MIN_VALUE};
            long watermark = Long.MIN_VALUE;
            try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
                long now = 0;
                for (int step = 0; step < 400; step++) {
                    now += random.nextInt(10);
                    if (random.nextInt(40) == 0) {
                        long to = now - random.nextInt(50);
                        driver.advanceWatermark(to);
                        watermark = Math.max(watermark, to);
                        model.advance(watermark);
                        continue;
                    }
                    boolean quote = random.nextBoolean();
                    long time = now - (random.nextInt(10) == 0 ? random.nextInt(300) : random.nextInt(40));
                    String record = record(random, time, quote);
                    driver.input(quote ? "quotes" : "trades").pipe(record);
                    if (quote) {
                        model.quote(record);
                    } else {
                        model.trade(record);
                    }
                    int side = quote ? 1 : 0;
                    maxTime[side] = Math.max(maxTime[side], time);
                    long combined = Math.min(sourceWatermark(maxTime[0], outOfOrderness),
                            sourceWatermark(maxTime[1], outOfOrderness));
                    watermark = Math.max(watermark, combined);
                    model.advance(watermark);
                }
                driver.advanceWatermark(Long.MAX_VALUE);
                model.advance(Long.MAX_VALUE);
                String replay = "seed " + seed + " (-Dasof.seed=" + seed + " replays)";
                assertEquals(model.results, results(driver), replay);
                assertEquals(model.late, (long) driver.meterRegistry().get("ringflow.records.late")
                        .tag("operator", "price").functionCounter().count(), replay + ": late records");
            }
        }
    }

    private static long sourceWatermark(long maxTime, long outOfOrderness) {
        return maxTime == Long.MIN_VALUE ? Long.MIN_VALUE : maxTime - outOfOrderness;
    }

    private static List<String> results(TopologyTestDriver driver) {
        return driver.<KeyValue<String, String>>output("priced").readRecordsToList().stream()
                .map(r -> r.value().key() + " " + r.value().value() + " t=" + r.timestamp()).toList();
    }

    /**
     * Each source's records come out of order within its watermark's bound, and some trades
     * beyond it: with a history longer than the input, every trade is joined with the quote
     * valid at its time however the inputs interleave, waiting or (when the join's watermark
     * had passed it) at once.
     */
    @ParameterizedTest(name = "parallelism {0}, left {1}")
    @CsvSource({"1, true", "2, true", "2, false"})
    void aPipelineGivesWhatTheRulesSayWhateverTheInterleaving(int parallelism, boolean left) throws Exception {
        long seed = seed();
        Random random = new Random(seed);
        long outOfOrderness = 20;
        List<String> trades = new ArrayList<>();
        List<String> quotes = new ArrayList<>();
        int lateTrades = 0;
        for (int i = 0; i < 6_000; i++) {
            boolean quote = random.nextBoolean();
            boolean lateTrade = !quote && random.nextInt(50) == 0;
            lateTrades += lateTrade ? 1 : 0;
            long time = Math.max(0, i - (lateTrade ? 100 + random.nextInt(500) : random.nextInt((int) outOfOrderness)));
            (quote ? quotes : trades).add(record(random, time, quote));
        }
        AsOfReferenceModel model = new AsOfReferenceModel(Long.MAX_VALUE, left);
        quotes.forEach(model::quote); // the watermark never passes a trade before every quote is in
        trades.forEach(model::trade);
        model.advance(Long.MAX_VALUE);

        CollectingSink<KeyValue<String, String>> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("as-of-pipeline");
        AsOfFixtures.pricedTrades(builder, CollectionSource.of(trades), CollectionSource.of(quotes), outOfOrderness,
                Duration.ofDays(365), left, sink);
        double late;
        PipelineConfig config = PipelineConfig.defaults().withParallelism(parallelism);
        try (Pipeline pipeline = new Pipeline(builder.build(), config)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT), "the bounded inputs end the pipeline");
            late = pipeline.meterRegistry().get("ringflow.records.late").tag("operator", "price")
                    .functionCounter().count();
        }
        List<String> actual = new ArrayList<>();
        sink.records().forEach(r -> actual.add(r.value().key() + " " + r.value().value() + " t=" + r.timestamp()));
        String replay = "seed " + seed + " (-Dasof.seed=" + seed + " replays)";
        assertEquals(sorted(model.results), sorted(actual), replay);
        assertTrue(late <= lateTrades, replay + ": " + late + " late, but only " + lateTrades + " trades came late");
    }

    private static List<String> sorted(List<String> results) {
        List<String> copy = new ArrayList<>(results);
        copy.sort(null);
        return copy;
    }
}
