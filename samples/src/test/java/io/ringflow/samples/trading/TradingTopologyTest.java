package io.ringflow.samples.trading;

import static io.ringflow.samples.trading.TradingFixture.BY_SESSION;
import static io.ringflow.samples.trading.TradingFixture.BY_VOLUME;
import static io.ringflow.samples.trading.TradingFixture.BY_VWAP;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringflow.KeyValue;
import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.testing.TopologyTestDriver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trading topology on a small hand-made market, one record at a time, with exact results. */
class TradingTopologyTest {

    private static final long T0 = 1_700_000_040_000L; // a whole minute

    static TopologyTestDriver driver() {
        CollectingSink<Object> unused = new CollectingSink<>();
        return new TopologyTestDriver(TradingTopology.build(CollectionSource.of(), TradingTopology.Outputs.allTo(unused),
                TradingTopology.Settings.defaults()));
    }

    @Test
    void vwapPerSymbolPerSecondClosesWithTheWatermarkAndCountsTheLateTrade() {
        try (TopologyTestDriver driver = driver()) {
            List<MarketEvent> events = TradingFixture.events(T0);
            driver.<MarketEvent>input(TradingTopology.SOURCE).pipeAll(events.subList(0, 7));
            // The trade at 1,500 moved the watermark to 1,300, past [0, 1000) plus 100 ms grace.
            assertEquals(List.of(TradingFixture.vwaps(T0).get(0), TradingFixture.vwaps(T0).get(3)),
                    sorted(driver.<Vwap>output(TradingTopology.VWAP_OUT).readValuesToList()));

            driver.<MarketEvent>input(TradingTopology.SOURCE).pipeAll(events.subList(7, events.size()));
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of(TradingFixture.vwaps(T0).get(1), TradingFixture.vwaps(T0).get(4),
                            TradingFixture.vwaps(T0).get(2)),
                    driver.<Vwap>output(TradingTopology.VWAP_OUT).readValuesToList().stream()
                            .sorted(Comparator.comparingLong(Vwap::start)).toList());
            assertEquals(1, driver.lateRecords(TradingTopology.VWAP));
            assertEquals(List.of(KeyValue.of("AAPL", events.get(9))),
                    driver.output(TradingTopology.LATE_TRADES).readValuesToList());
        }
    }

    @Test
    void volumeInOneMinuteWindowsHoppingByTenSecondsIncludesTheTradeLateOnlyForVwap() {
        try (TopologyTestDriver driver = driver()) {
            driver.<MarketEvent>input(TradingTopology.SOURCE).pipeAll(TradingFixture.events(T0));
            assertEquals(List.of(), driver.output(TradingTopology.VOLUME_OUT).readValuesToList(),
                    "no minute window has closed yet");
            driver.advanceWatermark(Long.MAX_VALUE);
            List<Volume> volumes = new ArrayList<>(driver.<Volume>output(TradingTopology.VOLUME_OUT).readValuesToList());
            volumes.sort(BY_VOLUME);
            assertEquals(TradingFixture.volumes(T0), volumes);
            assertEquals(0, driver.lateRecords(TradingTopology.VOLUME));
        }
    }

    @Test
    void priceAlertFiresOnTheQuoteThatTakesTheMoveAboveOnePercentAndOnlyOncePerWindow() {
        try (TopologyTestDriver driver = driver()) {
            List<MarketEvent> events = TradingFixture.events(T0);
            driver.<MarketEvent>input(TradingTopology.SOURCE).pipeAll(events.subList(0, 7));
            assertEquals(List.of(), driver.output(TradingTopology.ALERTS_OUT).readValuesToList(),
                    "a move of exactly 1 % is not above the threshold");
            driver.<MarketEvent>input(TradingTopology.SOURCE).pipe(events.get(7));
            List<PriceAlert> alerts = driver.<PriceAlert>output(TradingTopology.ALERTS_OUT).readValuesToList();
            assertEquals(1, alerts.size(), "emitted on the crossing quote, before the window closes");
            PriceAlert alert = alerts.get(0);
            assertEquals("AAPL", alert.symbol());
            assertEquals(T0, alert.windowStart());
            assertEquals(100.0, alert.from());
            assertEquals(101.5, alert.to());
            assertEquals(1.5, alert.movePercent(), 1e-9);
            assertEquals(T0 + 1_600, alert.eventTime());

            driver.<MarketEvent>input(TradingTopology.SOURCE).pipeAll(events.subList(8, events.size()));
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of(), driver.output(TradingTopology.ALERTS_OUT).readValuesToList(),
                    "the fall to 99.00 is in the same window, which has alerted already");
        }
    }

    @Test
    void traderSessionsEndAfterThreeQuietSecondsWithTheirTradesAndNotional() {
        try (TopologyTestDriver driver = driver()) {
            driver.<MarketEvent>input(TradingTopology.SOURCE).pipeAll(TradingFixture.events(T0));
            // alice's trade at 6,000 moved the watermark to 5,800: both first sessions have closed.
            List<TraderSession> closed = new ArrayList<>(
                    driver.<TraderSession>output(TradingTopology.SESSIONS_OUT).readValuesToList());
            closed.sort(BY_SESSION);
            assertEquals(List.of(TradingFixture.sessions(T0).get(0), TradingFixture.sessions(T0).get(2)), closed);
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of(TradingFixture.sessions(T0).get(1)),
                    driver.output(TradingTopology.SESSIONS_OUT).readValuesToList());
            assertEquals(0, driver.lateRecords(TradingTopology.SESSIONS));
        }
    }

    private static List<Vwap> sorted(List<Vwap> vwaps) {
        List<Vwap> copy = new ArrayList<>(vwaps);
        copy.sort(BY_VWAP);
        return copy;
    }

    @Test
    void aSymbolWithNoQuoteForTwoSecondsOfEventTimeIsStaleOnceAndEachQuoteMovesTheAlarm() {
        try (TopologyTestDriver driver = driver()) {
            var market = driver.<MarketEvent>input(TradingTopology.SOURCE);
            market.pipe(new Quote("AAPL", 99.99, 100.01, T0));
            market.pipe(new Quote("AAPL", 99.99, 100.01, T0 + 1_500)); // moves the alarm to T0 + 3,500
            market.pipe(new Quote("AAPL", 99.99, 100.01, T0 + 1_000)); // out of order: moves nothing
            market.pipe(new Trade("MSFT", "trader-01", 300.0, 100, T0 + 3_400));
            assertEquals(List.of(), driver.output(TradingTopology.STALE_QUOTES_OUT).readValuesToList(),
                    "watermark T0 + 3,200: not stale yet");
            market.pipe(new Trade("MSFT", "trader-01", 300.0, 100, T0 + 3_800));
            assertEquals(List.of(new StaleQuote("AAPL", T0 + 1_500, T0 + 3_500)),
                    driver.output(TradingTopology.STALE_QUOTES_OUT).readValuesToList());
            market.pipe(new Quote("AAPL", 99.99, 100.01, T0 + 4_000));
            market.pipe(new Trade("MSFT", "trader-01", 300.0, 100, T0 + 7_000));
            assertEquals(List.of(new StaleQuote("AAPL", T0 + 4_000, T0 + 6_000)),
                    driver.output(TradingTopology.STALE_QUOTES_OUT).readValuesToList());
        }
    }
}
