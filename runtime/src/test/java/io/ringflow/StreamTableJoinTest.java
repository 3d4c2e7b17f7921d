package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.function.ValueJoiner;
import io.ringflow.testing.TestInput;
import io.ringflow.testing.TopologyTestDriver;
import io.ringflow.watermark.WatermarkStrategy;
import io.ringflow.watermark.Watermarks;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stream-table join on the test driver, exact outputs: a trade meets its key's price as the
 * table holds it when the trade arrives; price updates emit nothing; a tombstone deletes; a key
 * with no price drops the trade ({@code join}) or joins it with null ({@code leftJoin}); event
 * time plays no part. Records are {@code "key,time,x"}; a price {@code x} of {@code "-"} is a tombstone.
 */
class StreamTableJoinTest {

    static String key(String record) {
        return record.split(",")[0];
    }

    static long time(String record) {
        return Long.parseLong(record.split(",")[1]);
    }

    /** The price of a table record, {@code null} for a tombstone. */
    static String price(String record) {
        String x = record.split(",")[2];
        return x.equals("-") ? null : x;
    }

    static String amount(String record) {
        return record.split(",")[2];
    }

    static WatermarkStrategy<String> eventTime() {
        return WatermarkStrategy.<String>forBoundedOutOfOrderness(Duration.ZERO)
                .withTimestampExtractor((record, sourceTime) -> time(record));
    }

    /** Trades joined (or left-joined) with prices read from a source of their own. */
    private static Topology pricing(boolean left) {
        StreamBuilder builder = new StreamBuilder("pricing");
        KeyedStream<String, String> trades = builder.source("trades", CollectionSource.of("x,0,0"), eventTime())
                .keyBy(StreamTableJoinTest::key);
        Table<String, String> prices = builder.table("prices", CollectionSource.of("x,0,0"),
                StreamTableJoinTest::key, StreamTableJoinTest::price, eventTime());
        ValueJoiner<String, String, String> joiner = (trade, price) -> amount(trade) + "@" + price;
        KeyedStream<String, String> priced = left ? trades.leftJoin(prices, joiner, Named.as("price"))
                : trades.join(prices, joiner, Named.as("price"));
        priced.to(new CollectingSink<>(), Named.as("priced"));
        return builder.build();
    }

    /** Pipes the same interleaving into both joins; see {@link #innerJoinDropsTradesWithNoPrice}. */
    private static List<KeyValue<String, String>> run(boolean left) {
        try (TopologyTestDriver driver = new TopologyTestDriver(pricing(left))) {
            TestInput<String> trades = driver.input("trades");
            TestInput<String> prices = driver.input("prices");
            trades.pipe("A,1,10");    // no price yet
            prices.pipe("A,2,100");
            prices.pipe("B,3,200");
            trades.pipe("A,4,11");
            trades.pipe("B,5,12");
            prices.pipe("A,6,101");   // an update replaces the value
            trades.pipe("A,7,13");
            prices.pipe("B,8,-");     // a tombstone deletes B
            trades.pipe("B,9,14");
            trades.pipe("C,10,15");   // a key the table never had
            prices.pipe("B,11,201");  // B again after its delete
            trades.pipe("B,12,16");
            return driver.<KeyValue<String, String>>output("priced").readValuesToList();
        }
    }

    @Test
    void innerJoinDropsTradesWithNoPrice() {
        assertEquals(List.of(KeyValue.of("A", "11@100"), KeyValue.of("B", "12@200"), KeyValue.of("A", "13@101"),
                KeyValue.of("B", "16@201")), run(false));
    }

    @Test
    void leftJoinJoinsTradesWithNoPriceWithNull() {
        assertEquals(List.of(KeyValue.of("A", "10@null"), KeyValue.of("A", "11@100"), KeyValue.of("B", "12@200"),
                KeyValue.of("A", "13@101"), KeyValue.of("B", "14@null"), KeyValue.of("C", "15@null"),
                KeyValue.of("B", "16@201")), run(true));
    }

    /**
     * Not time-synchronized: a trade older than a price update, arriving after it, meets the
     * update; a trade behind the watermark (late for a window) is joined all the same.
     */
    @Test
    void arrivalOrderNotEventTimeDecidesWhichPriceATradeMeets() {
        try (TopologyTestDriver driver = new TopologyTestDriver(pricing(true))) {
            driver.input("prices").pipe("A,10,100");
            driver.input("prices").pipe("A,20,101");
            driver.input("trades").pipe("A,30,1");
            driver.input("trades").pipe("A,15,2");   // older than the update at 20, and behind the watermark
            driver.advanceWatermark(1_000);
            driver.input("trades").pipe("A,5,3");    // far behind the watermark
            assertEquals(List.of(KeyValue.of("A", "1@101"), KeyValue.of("A", "2@101"), KeyValue.of("A", "3@101")),
                    driver.<KeyValue<String, String>>output("priced").readValuesToList());
        }
    }

    /** Both inputs are a keyBy: each sends its records straight to the join's shards, one hand-off. */
    @Test
    void twoKeyByInputsReachTheJoinWithOneHandOff() {
        String plan = pricing(false).describe(PipelineConfig.defaults().withParallelism(2));
        assertTrue(plan.contains("Stage 1") && !plan.contains("Stage 2"), plan);
        assertEquals(2, plan.split("<- hash from keyBy").length - 1, plan);
    }

    /** As StreamBuilder.table's Javadoc warns: a table source without event time holds the join's watermark back. */
    @Test
    void aTableSourceWithoutEventTimeHoldsTheWatermarkBack() {
        for (boolean withEventTime : new boolean[] {false, true}) {
            StreamBuilder builder = new StreamBuilder("held");
            KeyedStream<String, String> trades = builder.source("trades", CollectionSource.of("x,0,0"), eventTime())
                    .keyBy(StreamTableJoinTest::key);
            Table<String, String> prices = withEventTime
                    ? builder.table("prices", CollectionSource.of("x,0,0"), StreamTableJoinTest::key,
                            StreamTableJoinTest::price, eventTime())
                    : builder.table("prices", CollectionSource.of("x,0,0"), StreamTableJoinTest::key,
                            StreamTableJoinTest::price);
            trades.join(prices, (trade, price) -> trade).to(new CollectingSink<>(), Named.as("out"));
            try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
                driver.input("prices").pipe("A,100,1");
                driver.input("trades").pipe("A,200,1");
                assertEquals(withEventTime ? 100 : Watermarks.NONE, driver.watermark(),
                        "event time " + withEventTime);
            }
        }
    }

    @Test
    void theResultKeepsTheTradesKeyAndTimestamp() {
        try (TopologyTestDriver driver = new TopologyTestDriver(pricing(false))) {
            driver.input("prices").pipe("A,50,100");
            driver.input("trades").pipe("A,40,1");
            assertEquals(40, driver.output("priced").readRecord().timestamp());
        }
    }

    /** {@code toTable()} of a keyed stream; its {@code toStream()} is the changelog, deletes included. */
    @Test
    void aKeyedStreamsTableAndItsChangelog() {
        StreamBuilder builder = new StreamBuilder("limits");
        KeyedStream<String, String> orders = builder.source("orders", CollectionSource.of("x,0,0"))
                .keyBy(StreamTableJoinTest::key);
        Table<String, String> limits = builder.source("limits", CollectionSource.of("x,0,0"))
                .keyBy(StreamTableJoinTest::key)
                .map(StreamTableJoinTest::price)
                .toTable();
        orders.join(limits, (order, limit) -> amount(order) + "/" + limit, Named.as("check"))
                .to(new CollectingSink<>(), Named.as("checked"));
        limits.toStream().to(new CollectingSink<>(), Named.as("changelog"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.input("limits").pipe("A,1,5");
            driver.input("orders").pipe("A,2,3");
            driver.input("limits").pipe("A,3,-");
            driver.input("orders").pipe("A,4,4");
            driver.input("limits").pipe("A,5,7");
            driver.input("orders").pipe("A,6,6");
            assertEquals(List.of(KeyValue.of("A", "3/5"), KeyValue.of("A", "6/7")),
                    driver.<KeyValue<String, String>>output("checked").readValuesToList());
            assertEquals(List.of(KeyValue.of("A", "5"), KeyValue.of("A", null), KeyValue.of("A", "7")),
                    driver.<KeyValue<String, String>>output("changelog").readValuesToList());
        }
    }

    /** A source's table maps each record to its value in its changelog too. */
    @Test
    void aSourcesTableChangelogCarriesTheMappedValues() {
        StreamBuilder builder = new StreamBuilder("changelog");
        builder.table("prices", CollectionSource.of("x,0,0"), StreamTableJoinTest::key, StreamTableJoinTest::price)
                .toStream().to(new CollectingSink<>(), Named.as("changes"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.input("prices").pipe("A,1,100");
            driver.input("prices").pipe("A,2,-");
            assertEquals(List.of(KeyValue.of("A", "100"), KeyValue.of("A", null)),
                    driver.<KeyValue<String, String>>output("changes").readValuesToList());
        }
    }

    @Test
    void aJoinerThatThrowsSendsTheTradeToTheErrorHandler() {
        StreamBuilder builder = new StreamBuilder("failing");
        KeyedStream<String, String> trades = builder.source("trades", CollectionSource.of("x,0,0"))
                .keyBy(StreamTableJoinTest::key);
        Table<String, String> prices = builder.table("prices", CollectionSource.of("x,0,0"),
                StreamTableJoinTest::key, StreamTableJoinTest::price);
        trades.join(prices, (trade, price) -> {
            throw new IllegalStateException("no " + price);
        }, Named.as("price")).to(new CollectingSink<>(), Named.as("priced"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.input("prices").pipe("A,1,100");
            PipelineFailedException failure = assertThrows(PipelineFailedException.class,
                    () -> driver.input("trades").pipe("A,2,1"));
            assertTrue(failure.getMessage().contains("price"), failure.getMessage());
        }
    }

    @Test
    void aTableOfAnotherBuilderIsRefused() {
        Table<String, String> foreign = new StreamBuilder("other").table("prices", CollectionSource.of("x,0,0"),
                StreamTableJoinTest::key, StreamTableJoinTest::price);
        KeyedStream<String, String> trades = new StreamBuilder("mine").source("trades", CollectionSource.of("x,0,0"))
                .keyBy(StreamTableJoinTest::key);
        TopologyException error = assertThrows(TopologyException.class,
                () -> trades.join(foreign, (trade, price) -> trade));
        assertTrue(error.getMessage().contains("another StreamBuilder"), error.getMessage());
    }
}
