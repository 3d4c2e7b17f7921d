package io.ringflow.samples.trading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MarketGeneratorTest {

    private static final MarketGenerator.Settings SETTINGS = MarketGenerator.Settings.defaults(1_700_000_000_000L);

    @Test
    void sameSeedGivesTheSameMarketAndAnotherSeedAnotherOne() {
        assertEquals(new MarketGenerator(SETTINGS).take(2_000), new MarketGenerator(SETTINGS).take(2_000));
        MarketGenerator.Settings other = new MarketGenerator.Settings(7, 50, 40, 2_000, SETTINGS.startMillis(), 0.05,
                150, 0.002, 3_000);
        assertNotEquals(new MarketGenerator(SETTINGS).take(2_000), new MarketGenerator(other).take(2_000));
    }

    @Test
    void eventsArriveInOrderExceptTheDelayedFractionsWithTheirDelays() {
        MarketGenerator generator = new MarketGenerator(SETTINGS);
        int outOfOrder = 0;
        int late = 0;
        long lastArrival = Long.MIN_VALUE;
        Set<String> symbols = new HashSet<>();
        int trades = 0;
        for (int i = 0; i < 100_000; i++) {
            MarketGenerator.Arrival arrival = generator.next();
            assertTrue(arrival.arrivalMillis() >= lastArrival, "handed out in arrival order");
            lastArrival = arrival.arrivalMillis();
            long delay = arrival.arrivalMillis() - arrival.event().eventTime();
            if (delay == 3_000) {
                late++;
            } else if (delay > 0) {
                assertTrue(delay <= 150, "out-of-order delay within the watermark bound: " + delay);
                outOfOrder++;
            } else {
                assertEquals(0, delay);
            }
            symbols.add(arrival.event().symbol());
            if (arrival.event() instanceof Trade) {
                trades++;
            }
        }
        // 5 % and 0.2 % of 100,000, give or take the randomness of this seed.
        assertTrue(outOfOrder > 4_500 && outOfOrder < 5_500, "out of order: " + outOfOrder);
        assertTrue(late > 150 && late < 250, "late: " + late);
        assertEquals(50, symbols.size());
        assertTrue(trades > 30_000 && trades < 40_000, "about 40 % trades, less when every trader is quiet: " + trades);
    }

    @Test
    void everyEventSurvivesTheKafkaCodecAndOrdersGetTheirFillsAsDescribed() {
        MarketGenerator generator = new MarketGenerator(SETTINGS);
        java.util.Map<String, Order> orders = new java.util.HashMap<>();
        int soon = 0;
        int afterTwoSeconds = 0;
        int fills = 0;
        for (MarketEvent event : generator.take(100_000)) {
            assertEquals(event, MarketEventCodec.decode(MarketEventCodec.encode(event)));
            if (event instanceof Order order) {
                orders.put(order.orderId(), order);
            } else if (event instanceof Fill fill) {
                Order order = orders.get(fill.orderId());
                assertEquals(order.symbol(), fill.symbol());
                assertEquals(order.qty(), fill.qty());
                long delay = fill.eventTime() - order.eventTime();
                assertTrue(delay >= 20 && delay < 1_500 || delay >= 2_500 && delay < 4_000, "fill delay " + delay);
                fills++;
                soon += delay < 1_500 ? 1 : 0;
                afterTwoSeconds += delay >= 2_500 ? 1 : 0;
            }
        }
        // 3 % of about 94,000 draws; 90 % filled soon, 5 % late, 5 % never.
        assertTrue(orders.size() > 2_500 && orders.size() < 3_200, "orders: " + orders.size());
        assertTrue(soon > 0.85 * orders.size() && afterTwoSeconds > 0.03 * orders.size()
                && fills < 0.97 * orders.size(), soon + " soon, " + afterTwoSeconds + " late of " + orders.size());
    }

    @Test
    void everyTenthSymbolIsHaltedFourSecondsAMinute() {
        // In order, so that gaps in arrival are gaps in event time.
        MarketGenerator generator = new MarketGenerator(new MarketGenerator.Settings(42, 50, 40, 2_000,
                SETTINGS.startMillis(), 0, 150, 0, 3_000));
        java.util.Map<String, Long> lastSeen = new java.util.HashMap<>();
        java.util.Map<String, Long> longestGap = new java.util.TreeMap<>();
        for (MarketEvent event : generator.take(300_000)) { // 150 s of the market
            if (event instanceof Quote || event instanceof Trade) {
                Long last = lastSeen.put(event.symbol(), event.eventTime());
                if (last != null) {
                    longestGap.merge(event.symbol(), event.eventTime() - last, Math::max);
                }
            }
        }
        for (int s = 0; s < 50; s++) {
            String symbol = generator.symbols().get(s);
            long gap = longestGap.get(symbol);
            assertTrue(s % 10 == 3 ? gap >= 3_900 : gap < 2_000, symbol + " (symbol " + s + ") longest gap " + gap);
        }
    }
}
