package io.ringflow.samples.trading;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A small hand-made market with every case the topology handles, and the exact results it
 * must give: shared by the driver test and the Kafka test. Times are offsets from {@code t0}
 * (a multiple of a minute, so windows line up with it).
 */
final class TradingFixture {

    private TradingFixture() {
    }

    static List<MarketEvent> events(long t0) {
        return List.of(
                new Trade("AAPL", "alice", 100.0, 100, t0 + 100),
                new Trade("AAPL", "bob", 101.0, 300, t0 + 400),
                new Trade("MSFT", "alice", 50.0, 200, t0 + 700),
                new Quote("AAPL", 99.75, 100.25, t0 + 800),            // mid 100.00: the window's low
                new Trade("AAPL", "alice", 102.0, 100, t0 + 300),        // out of order, within the 200 ms bound
                new Quote("AAPL", 100.75, 101.25, t0 + 1_200),          // mid 101.00: +1.00 %, not above 1 %
                new Trade("AAPL", "bob", 99.0, 200, t0 + 1_500),         // watermark 1,300: closes [0, 1000)
                new Quote("AAPL", 101.25, 101.75, t0 + 1_600),          // mid 101.50: +1.50 %, the alert
                new Quote("AAPL", 98.75, 99.25, t0 + 1_700),            // mid 99.00: same window, no second alert
                new Trade("AAPL", "alice", 103.0, 100, t0 + 800),        // late for VWAP, on time for volume and session
                new Trade("MSFT", "bob", 51.0, 100, t0 + 2_500),
                new Trade("AAPL", "alice", 100.0, 400, t0 + 6_000));     // alice's second session; closes her first
    }

    static List<Vwap> vwaps(long t0) {
        return List.of(
                new Vwap("AAPL", t0, t0 + 1_000, 101.0, 500, 3),       // (100*100 + 101*300 + 102*100) / 500
                new Vwap("AAPL", t0 + 1_000, t0 + 2_000, 99.0, 200, 1),
                new Vwap("AAPL", t0 + 6_000, t0 + 7_000, 100.0, 400, 1),
                new Vwap("MSFT", t0, t0 + 1_000, 50.0, 200, 1),
                new Vwap("MSFT", t0 + 2_000, t0 + 3_000, 51.0, 100, 1));
    }

    /** Every trade lies in the six 1-minute windows that start from 50 s before t0 to t0. */
    static List<Volume> volumes(long t0) {
        List<Volume> volumes = new ArrayList<>();
        for (long start = t0 - 50_000; start <= t0; start += 10_000) {
            volumes.add(new Volume("AAPL", start, start + 60_000, 1_200));
            volumes.add(new Volume("MSFT", start, start + 60_000, 300));
        }
        volumes.sort(BY_VOLUME);
        return volumes;
    }

    static List<TraderSession> sessions(long t0) {
        return List.of(
                new TraderSession("alice", t0 + 100, t0 + 3_800, 4, 10_000 + 10_000 + 10_200 + 10_300),
                new TraderSession("alice", t0 + 6_000, t0 + 9_000, 1, 40_000),
                new TraderSession("bob", t0 + 400, t0 + 5_500, 3, 30_300 + 19_800 + 5_100));
    }

    static final Comparator<Vwap> BY_VWAP = Comparator.comparing(Vwap::symbol).thenComparingLong(Vwap::start);
    static final Comparator<Volume> BY_VOLUME = Comparator.comparing(Volume::symbol).thenComparingLong(Volume::start);
    static final Comparator<TraderSession> BY_SESSION =
            Comparator.comparing(TraderSession::trader).thenComparingLong(TraderSession::start);
}
