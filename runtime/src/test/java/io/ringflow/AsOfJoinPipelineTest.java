package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The as-of join in real pipelines, on RocksDB at parallelism 1 and 2 and on the heap: the
 * issue's trade gets the older quote, and each key's results are exactly the driver's, in time
 * order, with quotes out of order and tombstones.
 */
class AsOfJoinPipelineTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long TEN = 36_000_000L;

    /** Each key's results, "trade@quote t=time", in the order the sink got them. */
    private static Map<String, List<String>> run(List<String> trades, List<String> quotes, boolean left,
                                                 int parallelism, String state) throws InterruptedException {
        CollectingSink<KeyValue<String, String>> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("as-of-pipeline");
        // Out of order within 50 ms on each source: nothing here is late, on its source or at the join.
        AsOfFixtures.pricedTrades(builder, CollectionSource.of(trades), CollectionSource.of(quotes), 50,
                Duration.ofSeconds(10), left, sink);
        PipelineConfig config = PipelineConfig.defaults().withParallelism(parallelism);
        if (state.equals("heap")) {
            config = config.withInMemoryState();
        }
        try (Pipeline pipeline = new Pipeline(builder.build(), config)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT), "the bounded inputs end the pipeline");
            assertEquals(0.0, pipeline.meterRegistry().get("ringflow.records.late").tag("operator", "price")
                    .functionCounter().count(), "late records");
        }
        Map<String, List<String>> byKey = new TreeMap<>();
        sink.records().forEach(r -> byKey.computeIfAbsent(r.value().key(), k -> new java.util.ArrayList<>())
                .add(r.value().value() + " t=" + r.timestamp()));
        return byKey;
    }

    @ParameterizedTest(name = "parallelism {0}, {1}")
    @CsvSource({"1, rocksdb", "2, rocksdb", "2, heap"})
    void theIssuesTradeGetsTheQuoteOfItsTimeThoughTheNewerQuoteCameFirst(int parallelism, String state)
            throws Exception {
        Map<String, List<String>> results = run(List.of("EURUSD," + (TEN + 120) + ",5"),
                List.of("EURUSD," + (TEN + 130) + ",1.0830", "EURUSD," + (TEN + 100) + ",1.0810"), false,
                parallelism, state);
        assertEquals(Map.of("EURUSD", List.of("5@1.0810 t=" + (TEN + 120))), results);
    }

    @ParameterizedTest(name = "parallelism {0}, {1}")
    @CsvSource({"1, rocksdb", "2, rocksdb", "2, heap"})
    void eachKeysResultsAreExactAndInTimeOrder(int parallelism, String state) throws Exception {
        List<String> trades = List.of("B,50,1", "A,50,2", "A,50,3", "C,55,9", "A,70,4", "B,80,5", "C,60,8",
                "A,90,6", "A,1000,7", "C,1000,10");
        List<String> quotes = List.of("B,60,20", "B,40,19", "A,50,10", "C,20,30", "A,65,-", "A,75,11", "C,57,31",
                "A,999,12", "C,1001,32");
        Map<String, List<String>> expected = Map.of(
                "A", List.of("2@10 t=50", "3@10 t=50", "4@none t=70", "6@11 t=90", "7@12 t=1000"),
                "B", List.of("1@19 t=50", "5@20 t=80"),
                "C", List.of("9@30 t=55", "8@31 t=60", "10@31 t=1000"));
        assertEquals(expected, run(trades, quotes, true, parallelism, state));
    }

    /**
     * Results leave carrying the watermark from before the advance that released them, so a
     * later stage's window that the same advance closes still counts them: none is late.
     */
    @ParameterizedTest(name = "parallelism {0}")
    @CsvSource({"1", "2"})
    void resultsAreNotLateInALaterStagesWindowThatTheSameAdvanceCloses(int parallelism) throws Exception {
        java.util.Random random = new java.util.Random(5);
        List<String> trades = new java.util.ArrayList<>();
        List<String> quotes = new java.util.ArrayList<>();
        Map<Long, Long> expected = new TreeMap<>();
        for (int i = 0; i < 4_000; i++) {
            String record = "k" + random.nextInt(8) + "," + Math.max(0, i - random.nextInt(20)) + "," + i;
            if (i % 2 == 0) {
                quotes.add(record);
            } else {
                trades.add(record);
                expected.merge(AsOfFixtures.time(record) / 100 * 100, 1L, Long::sum);
            }
        }
        CollectingSink<KeyValue<io.ringflow.windowing.Windowed<String>, Long>> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("as-of-into-windows");
        KeyedStream<String, String> tradesByKey = builder.source("trades", CollectionSource.of(trades),
                AsOfFixtures.eventTime(20)).keyBy(AsOfFixtures::key);
        VersionedTable<String, String> quotesTable = builder.source("quotes", CollectionSource.of(quotes),
                AsOfFixtures.eventTime(20)).keyBy(AsOfFixtures::key).toVersionedTable(Duration.ofSeconds(1));
        tradesByKey.leftAsOfJoin(quotesTable, AsOfFixtures::priced, Named.as("price"))
                .keyBy(result -> "all")
                .window(io.ringflow.windowing.TumblingWindows.of(Duration.ofMillis(100)))
                .count(Named.as("per-window"))
                .to(sink, Named.as("out"));
        PipelineConfig config = PipelineConfig.defaults().withParallelism(parallelism);
        try (Pipeline pipeline = new Pipeline(builder.build(), config)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
            assertEquals(0, pipeline.lateRecords("per-window"), "join results were late in the window");
        }
        Map<Long, Long> counted = new TreeMap<>();
        sink.values().forEach(kv -> counted.merge(kv.key().window().start(), kv.value(), Long::sum));
        assertEquals(expected, counted);
    }
}
