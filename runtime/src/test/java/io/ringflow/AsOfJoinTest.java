package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.error.FailedRecord;
import io.ringflow.testing.TestInput;
import io.ringflow.testing.TopologyTestDriver;
import io.ringflow.watermark.WatermarkStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The as-of join on the test driver: each trade gets the quote valid at its event time, once
 * the watermark of both inputs has passed it, whatever the order quotes and trades arrived in;
 * late input is counted, joined or dropped as the README says.
 */
class AsOfJoinTest {

    /** 10:00:00.000 in milliseconds of the day. */
    private static final long TEN = 36_000_000L;

    private static TopologyTestDriver driver(Duration history, boolean left) {
        StreamBuilder builder = new StreamBuilder("as-of");
        AsOfFixtures.pricedTrades(builder, CollectionSource.of("x,0,0"), CollectionSource.of("x,0,0"), 0, history,
                left, new CollectingSink<>());
        return new TopologyTestDriver(builder.build());
    }

    private static List<String> results(TopologyTestDriver driver) {
        return driver.<KeyValue<String, String>>output("priced").readRecordsToList().stream()
                .map(r -> r.value().key() + " " + r.value().value() + " t=" + r.timestamp()).toList();
    }

    private static double late(TopologyTestDriver driver) {
        return driver.meterRegistry().get("ringflow.records.late").tag("operator", "price").functionCounter().count();
    }

    @Test
    void aTradeGetsTheQuoteValidAtItsTimeEvenWhenANewerQuoteArrivedFirst() {
        try (TopologyTestDriver driver = driver(Duration.ofSeconds(10), false)) {
            driver.input("quotes").pipe("EURUSD," + (TEN + 130) + ",1.0830");
            driver.input("quotes").pipe("EURUSD," + (TEN + 100) + ",1.0810");
            driver.input("trades").pipe("EURUSD," + (TEN + 120) + ",5");
            assertEquals(List.of(), results(driver), "the trade waits until the watermark passes it");
            driver.advanceWatermark(TEN + 121);
            assertEquals(List.of("EURUSD 5@1.0810 t=" + (TEN + 120)), results(driver));
            assertEquals(0, late(driver), "the quote of .100 came after .130, but not behind the join's watermark");
        }
    }

    @Test
    void theResultIsTheSameWhicheverInputArrivesFirst() {
        List<String> trade = List.of("A,120,5");
        List<String> quotes = List.of("A,130,2", "A,100,1");
        List<String> expected = List.of("A 5@1 t=120");
        try (TopologyTestDriver driver = driver(Duration.ofSeconds(10), false)) {
            trade.forEach(driver.<String>input("trades")::pipe);
            quotes.forEach(driver.<String>input("quotes")::pipe);
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(expected, results(driver));
        }
        try (TopologyTestDriver driver = driver(Duration.ofSeconds(10), false)) {
            driver.input("quotes").pipe(quotes.get(0));
            driver.input("trades").pipe(trade.get(0));
            driver.input("quotes").pipe(quotes.get(1));
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(expected, results(driver));
        }
    }

    @Test
    void aTradeWaitsForTheSlowerInputsWatermark() {
        try (TopologyTestDriver driver = driver(Duration.ofSeconds(10), false)) {
            TestInput<String> trades = driver.input("trades");
            TestInput<String> quotes = driver.input("quotes");
            quotes.pipe("A,100,1");
            trades.pipe("A,120,5");
            trades.pipe("A,500,6");
            assertEquals(List.of(), results(driver), "the quotes' watermark is at 100: a quote of 110 may still come");
            quotes.pipe("A,110,2");
            assertEquals(List.of(), results(driver));
            quotes.pipe("A,121,3");
            assertEquals(List.of("A 5@2 t=120"), results(driver), "the quote of 121 is not valid at 120");
        }
    }

    /**
     * Several keys, ties, tombstones and versions out of order; results leave in time order,
     * ties by key, and a quote at exactly a trade's time is the one valid for it.
     */
    @Test
    void exactOutputsInTimeOrderWithTiesTombstonesAndVersionsOutOfOrder() {
        try (TopologyTestDriver driver = driver(Duration.ofSeconds(10), true)) {
            TestInput<String> trades = driver.input("trades");
            TestInput<String> quotes = driver.input("quotes");
            quotes.pipe("B,60,20");
            quotes.pipe("B,40,19"); // behind the quotes' own watermark, not the join's: the trades hold it back
            quotes.pipe("A,50,10");
            trades.pipe("B,50,1");
            trades.pipe("A,50,2");
            trades.pipe("A,50,3");
            trades.pipe("A,70,4");
            quotes.pipe("A,65,-");
            trades.pipe("B,80,5");
            quotes.pipe("A,75,11");
            trades.pipe("A,90,6");
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of("A 2@10 t=50", "A 3@10 t=50", "B 1@19 t=50", "A 4@none t=70", "B 5@20 t=80",
                    "A 6@11 t=90"), results(driver));
            assertEquals(0, late(driver));
        }
    }

    @Test
    void anInnerJoinEmitsNothingForATradeWithNoValidQuote() {
        try (TopologyTestDriver driver = driver(Duration.ofSeconds(10), false)) {
            driver.input("trades").pipe("A,10,1");
            driver.input("quotes").pipe("A,20,7");
            driver.input("trades").pipe("A,30,2");
            driver.input("quotes").pipe("A,25,-");
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of(), results(driver), "before the first quote, and after its tombstone");
        }
    }

    /**
     * A trade behind the watermark is counted and joined at once with the quote valid at its
     * time; one older than the watermark less the history is counted and dropped.
     */
    @Test
    void aLateTradeWithinTheHistoryIsJoinedAtOnceAndOneBeyondItIsDroppedBothCounted() {
        try (TopologyTestDriver driver = driver(Duration.ofMillis(100), true)) {
            driver.input("quotes").pipe("A,100,1");
            driver.input("quotes").pipe("A,200,2");
            driver.input("trades").pipe("A,1000,9");
            driver.input("quotes").pipe("A,1000,3");
            assertEquals(1000, driver.watermark());
            driver.input("trades").pipe("A,950,7");
            assertEquals(List.of("A 7@2 t=950"), results(driver), "late, joined with the quote valid at 950");
            driver.input("trades").pipe("A,899,8");
            assertEquals(List.of(), results(driver), "older than 1000 - 100: dropped");
            assertEquals(2, late(driver));
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of("A 9@3 t=1000"), results(driver));
        }
    }

    /**
     * A quote behind the watermark but within the history is counted and added: a trade still
     * waiting sees it, trades that left do not change. One beyond the history is dropped.
     */
    @Test
    void aLateQuoteWithinTheHistoryReachesWaitingTradesAndOneBeyondItIsDroppedBothCounted() {
        try (TopologyTestDriver driver = driver(Duration.ofMillis(100), true)) {
            driver.input("quotes").pipe("A,100,1");
            driver.input("trades").pipe("A,990,5");
            driver.input("trades").pipe("A,1010,6");
            driver.input("quotes").pipe("A,1000,2");
            assertEquals(List.of("A 5@1 t=990"), results(driver));
            driver.input("quotes").pipe("A,950,3");
            driver.input("quotes").pipe("A,899,4");
            assertEquals(2, late(driver));
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of("A 6@2 t=1010"), results(driver), "the quote of 950 is older than 1000's");
        }
        try (TopologyTestDriver driver = driver(Duration.ofMillis(100), true)) {
            driver.input("quotes").pipe("A,100,1");
            driver.input("trades").pipe("A,1010,6");
            driver.input("quotes").pipe("A,1000,2");
            driver.input("quotes").pipe("A,1005,3");
            driver.input("quotes").pipe("A,1001,-");
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of("A 6@3 t=1010"), results(driver), "a late version between two others is in order");
        }
    }

    @Test
    void aTableFromAnotherBuilderIsRefused() {
        StreamBuilder one = new StreamBuilder("one");
        StreamBuilder other = new StreamBuilder("other");
        KeyedStream<String, String> trades = one.source("t", CollectionSource.of("A,1,1")).keyBy(AsOfFixtures::key);
        VersionedTable<String, String> quotes = other.source("q", CollectionSource.of("A,1,1"))
                .keyBy(AsOfFixtures::key).toVersionedTable(Duration.ZERO);
        TopologyException error = assertThrows(TopologyException.class,
                () -> trades.asOfJoin(quotes, AsOfFixtures::priced));
        assertTrue(error.getMessage().contains("another StreamBuilder"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> trades.toVersionedTable(Duration.ofMillis(-1)));
    }

    @Test
    void aSourceReadAsAVersionedTableJoinsAsAKeyedStreamDoes() {
        StreamBuilder builder = new StreamBuilder("from-source");
        VersionedTable<String, String> quotes = builder.versionedTable("quotes", CollectionSource.of("x,0,0"),
                AsOfFixtures::key, AsOfFixtures.eventTime(0), Duration.ofSeconds(1));
        builder.source("trades", CollectionSource.of("x,0,0"), AsOfFixtures.eventTime(0)).keyBy(AsOfFixtures::key)
                .asOfJoin(quotes, AsOfFixtures::priced, Named.as("price"))
                .to(new CollectingSink<>(), Named.as("priced"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.input("quotes").pipe("A,10,1");
            driver.input("trades").pipe("A,15,2");
            driver.input("quotes").pipe("A,12,3");
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of("A 2@3 t=15"), results(driver));
        }
    }

    /** A joiner that throws goes to the error handler with the record; the join goes on with the next one. */
    @Test
    void aJoinerThatThrowsHandsTheRecordToTheErrorHandlerAndTheJoinGoesOn() {
        List<FailedRecord> failed = new ArrayList<>();
        StreamBuilder builder = new StreamBuilder("as-of-errors");
        KeyedStream<String, String> trades = builder.source("trades", CollectionSource.of("x,0,0"),
                AsOfFixtures.eventTime(0)).keyBy(AsOfFixtures::key);
        VersionedTable<String, String> quotes = builder.source("quotes", CollectionSource.of("x,0,0"),
                AsOfFixtures.eventTime(0)).keyBy(AsOfFixtures::key).toVersionedTable(Duration.ofSeconds(1));
        trades.asOfJoin(quotes, (trade, quote) -> {
            if (AsOfFixtures.amount(trade).equals("0")) {
                throw new IllegalArgumentException("no size");
            }
            return AsOfFixtures.priced(trade, quote);
        }, Named.as("price")).to(new CollectingSink<>(), Named.as("priced"));
        PipelineConfig config = PipelineConfig.defaults().withErrorHandler(failedRecord -> failed.add(failedRecord));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), config)) {
            driver.input("quotes").pipe("A,10,7");
            driver.input("trades").pipe("A,20,0");
            driver.input("trades").pipe("A,30,3");
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of("A 3@7 t=30"), results(driver));
            assertEquals(1, failed.size());
            assertEquals("price", failed.get(0).operator());
            assertEquals("A,20,0", failed.get(0).value());
            assertEquals(20, failed.get(0).timestamp());
        }
    }

    record Quote(String symbol, long time, Double price) {
    }

    record Trade(String symbol, long time, long quantity) {
    }

    /** README's example, as written there: the trade of .120 is priced with the quote of .100, not .130. */
    @Test
    void theReadmeAsOfJoin() {
        StreamBuilder builder = new StreamBuilder("readme");
        Source<Quote> quotes = CollectionSource.of(new Quote("X", 0, 1.0));
        Source<Trade> trades = CollectionSource.of(new Trade("X", 0, 1));
        WatermarkStrategy<Quote> quoteTime = WatermarkStrategy.<Quote>forBoundedOutOfOrderness(Duration.ofMillis(50))
                .withTimestampExtractor((quote, sourceTime) -> quote.time());
        WatermarkStrategy<Trade> tradeTime = WatermarkStrategy.<Trade>forBoundedOutOfOrderness(Duration.ofMillis(50))
                .withTimestampExtractor((trade, sourceTime) -> trade.time());
        CollectingSink<KeyValue<String, Double>> sink = new CollectingSink<>();
        VersionedTable<String, Double> prices = builder.source("quotes", quotes, quoteTime)
                .keyBy(Quote::symbol)
                .map(Quote::price)                          // a null price would be a tombstone
                .toVersionedTable(Duration.ofSeconds(10));  // history kept behind the watermark
        builder.source("trades", trades, tradeTime)
                .keyBy(Trade::symbol)
                .map(Trade::quantity)
                .asOfJoin(prices, (quantity, price) -> quantity * price, Named.as("notional"))
                .to(sink, Named.as("notionals"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<Quote>input("quotes").pipe(new Quote("EURUSD", TEN + 130, 1.25))
                    .pipe(new Quote("EURUSD", TEN + 100, 1.5));
            driver.<Trade>input("trades").pipe(new Trade("EURUSD", TEN + 120, 10));
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of(KeyValue.of("EURUSD", 15.0)),
                    driver.<KeyValue<String, Double>>output("notionals").readValuesToList());
        }
    }
}
