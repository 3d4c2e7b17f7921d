package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.function.KeySelector;
import io.ringflow.function.ValueJoiner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Table joins on real pipelines with RocksDB state, at parallelism 1 and 2, exact outputs: the
 * stream-table join against the reference model of {@link PriceBook} (seeded; replay a failure
 * with {@code -Dtables.seed=N}), a table read from a source of its own, and a global table whose
 * every record reaches every shard over the broadcast edge.
 */
class TableJoinPipelineTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    private void run(StreamBuilder builder, int parallelism) throws InterruptedException {
        run(builder, parallelism, true);
    }

    private void run(StreamBuilder builder, int parallelism, boolean chaining) throws InterruptedException {
        PipelineConfig config = PipelineConfig.defaults().withParallelism(parallelism).withSourceChaining(chaining)
                .withStateDirectory(directory.resolve("state-" + System.nanoTime()));
        try (Pipeline pipeline = new Pipeline(builder.build(), config)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT), "the bounded inputs end the pipeline");
        }
    }

    @ParameterizedTest(name = "parallelism {0}, left {1}, heap {2}")
    @CsvSource({"1, false, false", "1, true, false", "2, false, false", "2, true, false", "2, true, true"})
    void eachTradeMeetsItsKeysPriceAsTheReferenceModelSays(int parallelism, boolean left, boolean heap)
            throws Exception {
        long seed = Long.getLong("tables.seed", System.nanoTime());
        List<String> records = PriceBook.records(6_000, 40, seed);
        CollectingSink<KeyValue<String, String>> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("book");
        PriceBook.join(builder.source("book", CollectionSource.of(records), PriceBook.eventTime()), left,
                heap ? Materialized.inMemory() : Materialized.defaults(), sink);
        run(builder, parallelism);
        assertEquals(PriceBook.expected(records, left), PriceBook.byKey(sink.values()),
                "seed " + seed + " (replay with -Dtables.seed=" + seed + ")");
    }

    /** {@code count} records of keys k0.. over two readers, each key on one: {@code "key,time,x"}. */
    private static List<List<String>> twoReaders(int count, int keys, String x) {
        List<List<String>> readers = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < count; i++) {
            int key = i % keys;
            readers.get(key % 2).add("k" + key + "," + i + "," + x + i);
        }
        return readers;
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void aTableReadFromItsOwnSourceAndLoadedFirstGivesEveryTradeTheLastPrice(int parallelism) throws Exception {
        // Prices: k0..k29, each updated three times; every key of 5 or more ends deleted, k0..k4 keep their last.
        List<String> prices = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < 30; k++) {
                prices.add("k" + k + "," + round + "," + (round == 2 && k >= 5 ? "-" : "p" + round + "k" + k));
            }
        }
        CountDownLatch loaded = new CountDownLatch(2 * prices.size()); // each of the two joins stores every price
        AtomicInteger stored = new AtomicInteger();
        List<List<String>> trades = twoReaders(400, 40, "t");
        CollectingSink<KeyValue<String, String>> inner = new CollectingSink<>();
        CollectingSink<KeyValue<String, String>> left = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("priced");
        Table<String, String> table = builder.table("prices", CollectionSource.of(prices), StreamTableJoinTest::key,
                record -> {
                    stored.incrementAndGet();
                    loaded.countDown(); // once per price in each join that stores it
                    return StreamTableJoinTest.price(record);
                }, StreamTableJoinTest.eventTime());
        KeyedStream<String, String> byKey = builder.source("trades",
                new GatedSource<>(CollectionSource.partitioned(trades), loaded)).keyBy(StreamTableJoinTest::key);
        byKey.join(table, (trade, price) -> trade + "@" + price, Named.as("inner")).to(inner, Named.as("inner-out"));
        byKey.leftJoin(table, (trade, price) -> trade + "@" + price, Named.as("left")).to(left, Named.as("left-out"));
        run(builder, parallelism);
        Map<String, List<String>> expected = new TreeMap<>();
        Map<String, List<String>> expectedLeft = new TreeMap<>();
        for (List<String> reader : trades) {
            for (String trade : reader) {
                String key = StreamTableJoinTest.key(trade);
                int k = Integer.parseInt(key.substring(1));
                String price = k < 5 ? "p2" + key : null; // k5..k29 deleted, k30.. never priced
                if (price != null) {
                    expected.computeIfAbsent(key, x -> new ArrayList<>()).add(trade + "@" + price);
                }
                expectedLeft.computeIfAbsent(key, x -> new ArrayList<>()).add(trade + "@" + price);
            }
        }
        assertEquals(2 * prices.size(), stored.get(), "two joins of one table: each stores it");
        assertEquals(expected, PriceBook.byKey(inner.values()));
        assertEquals(expectedLeft, PriceBook.byKey(left.values()));
    }

    /** Rates {@code "CUR,time,rate"} for 12 currencies, then two updates and a delete. */
    private static List<String> rates() {
        List<String> rates = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
            rates.add("C" + c + "," + c + ",r" + c);
        }
        rates.add("C3,20,r3b");
        rates.add("C7,21,r7b");
        rates.add("C11,22,-");
        return rates;
    }

    private static String finalRate(String currency) {
        return switch (currency) {
            case "C3" -> "r3b";
            case "C7" -> "r7b";
            case "C11", "C12" -> null;
            default -> "r" + currency.substring(1);
        };
    }

    @ParameterizedTest(name = "parallelism {0}, left {1}, keyed {2}, chaining {3}")
    @CsvSource({"1, false, false, true", "2, false, false, true", "2, true, false, true", "2, true, true, true",
            "2, false, false, false"})
    void everyShardHoldsTheWholeGlobalTableAndEveryOrderMeetsItsCurrencysRate(int parallelism, boolean left,
                                                                             boolean keyed, boolean chaining)
            throws Exception {
        List<String> rates = rates();
        AtomicInteger stored = new AtomicInteger();
        CountDownLatch loaded = new CountDownLatch(rates.size() * parallelism);
        // Orders "id,currency" on two readers; each reader's orders reach every currency.
        List<List<String>> orders = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < 300; i++) {
            orders.get(i % 2).add("o" + i + ",C" + (i % 13)); // C12 is no currency the table has
        }
        CollectingSink<String> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("fx");
        GlobalTable<String, String> table = builder.globalTable("rates", CollectionSource.of(rates),
                StreamTableJoinTest::key, record -> {
                    stored.incrementAndGet();
                    loaded.countDown(); // once per rate on every shard of the join
                    return StreamTableJoinTest.price(record);
                });
        EventStream<String> stream = builder.source("orders", new GatedSource<>(CollectionSource.partitioned(orders),
                loaded));
        ValueJoiner<String, String, String> joiner = (order, rate) -> order + "@" + rate;
        KeySelector<String, String> currency = order -> order.split(",")[1];
        if (keyed) { // keyed by order id: the hash edge goes straight into the join's stage
            KeyedStream<String, String> byId = stream.keyBy(order -> order.split(",")[0]);
            (left ? byId.leftJoin(table, currency, joiner, Named.as("convert"))
                    : byId.join(table, currency, joiner, Named.as("convert"))).toStream()
                    .map(KeyValue::value).to(sink, Named.as("converted"));
        } else {
            (left ? stream.leftJoin(table, currency, joiner, Named.as("convert"))
                    : stream.join(table, currency, joiner, Named.as("convert"))).to(sink, Named.as("converted"));
        }
        run(builder, parallelism, chaining);
        List<String> expected = new ArrayList<>();
        for (List<String> reader : orders) {
            for (String order : reader) {
                String rate = finalRate(order.split(",")[1]);
                if (left || rate != null) {
                    expected.add(order + "@" + rate);
                }
            }
        }
        assertEquals(rates.size() * parallelism, stored.get(), "every rate reached every shard, once");
        assertEquals(expected.stream().sorted().toList(), sink.values().stream().sorted().toList());
    }
}
