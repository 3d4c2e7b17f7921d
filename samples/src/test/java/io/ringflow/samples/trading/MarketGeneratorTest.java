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
}
