package io.ringflow.samples.trading;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringflow.testing.TestInput;
import io.ringflow.testing.TopologyTestDriver;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trading topology's joins on a hand-made market, on the test driver, with exact results. */
class TradingJoinsTest {

    private static final long T0 = 1_700_000_040_000L; // a whole minute

    @Test
    void aTradeIsPricedAgainstTheQuoteThatStoodAtItsTimeNotTheNewestToArrive() {
        try (TopologyTestDriver driver = TradingTopologyTest.driver()) {
            TestInput<MarketEvent> market = driver.input(TradingTopology.SOURCE);
            market.pipe(new Quote("AAPL", 100.99, 101.01, T0 + 130)); // newer, but arrives first
            market.pipe(new Quote("AAPL", 99.99, 100.01, T0 + 100));
            market.pipe(new Trade("AAPL", "trader-01", 100.01, 300, T0 + 120));
            market.pipe(new Trade("MSFT", "trader-02", 300.0, 100, T0 + 125)); // no MSFT quote: no result
            assertEquals(List.of(), driver.output(TradingTopology.PRICED_OUT).readValuesToList(),
                    "the trade waits until the watermark (T0 - 75) passes it");
            market.pipe(new Quote("AAPL", 100.99, 101.01, T0 + 400)); // watermark T0 + 200
            assertEquals(List.of(new PricedTrade("AAPL", "trader-01", T0 + 120, 100.01, 300, 100.0, T0 + 100, 2.0)),
                    driver.output(TradingTopology.PRICED_OUT).readValuesToList());
        }
    }

    @Test
    void tradesAreSummedPerSectorOfTheirInstrumentFromTheGlobalTable() {
        try (TopologyTestDriver driver = TradingTopologyTest.driver()) {
            TestInput<MarketEvent> market = driver.input(TradingTopology.SOURCE);
            market.pipe(new Trade("AAPL", "trader-01", 100.0, 100, T0)); // before its instrument: not counted
            market.pipe(new Instrument("AAPL", "Technology", 100, T0));
            market.pipe(new Instrument("MSFT", "Technology", 100, T0));
            market.pipe(new Instrument("XOM", "Energy", 100, T0));
            market.pipe(new Trade("AAPL", "trader-01", 100.0, 200, T0 + 1_000));
            market.pipe(new Trade("MSFT", "trader-02", 300.0, 100, T0 + 2_000));
            market.pipe(new Trade("XOM", "trader-03", 50.0, 100, T0 + 3_000));
            market.pipe(new Trade("XOM", "trader-03", 51.0, 100, T0 + 10_500)); // the next window
            driver.advanceWatermark(T0 + 10_300);
            assertEquals(List.of(new SectorFlow("Energy", T0, T0 + 10_000, 5_000.0, 1),
                            new SectorFlow("Technology", T0, T0 + 10_000, 50_000.0, 2)),
                    driver.<SectorFlow>output(TradingTopology.SECTOR_FLOW_OUT).readValuesToList().stream()
                            .sorted(java.util.Comparator.comparing(SectorFlow::sector)).toList());
        }
    }

    @Test
    void anOrderIsMatchedWithItsFillWithinTwoSecondsOrReportedUnfilledOnceTheyHavePassed() {
        try (TopologyTestDriver driver = TradingTopologyTest.driver()) {
            TestInput<MarketEvent> market = driver.input(TradingTopology.SOURCE);
            market.pipe(new Order("O1", "AAPL", "trader-01", 300, T0));
            market.pipe(new Order("O2", "MSFT", "trader-02", 100, T0 + 100));
            market.pipe(new Fill("O1", "AAPL", 100.01, 300, T0 + 500));
            assertEquals(List.of(new OrderFill("O1", "AAPL", "trader-01", T0, true, T0 + 500, 100.01, 500)),
                    driver.output(TradingTopology.ORDER_FILLS_OUT).readValuesToList());
            market.pipe(new Quote("AAPL", 99.99, 100.01, T0 + 2_400)); // watermark T0 + 2,200: O2's 2 s are over
            assertEquals(List.of(new OrderFill("O2", "MSFT", "trader-02", T0 + 100, false, 0, 0, 0)),
                    driver.output(TradingTopology.ORDER_FILLS_OUT).readValuesToList());
            market.pipe(new Fill("O2", "MSFT", 300.0, 100, T0 + 2_500)); // too late for the desk: no result
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of(), driver.output(TradingTopology.ORDER_FILLS_OUT).readValuesToList());
        }
    }
}
