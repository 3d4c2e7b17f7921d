package io.ringflow.samples.trading;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.ringflow.KeyValue;
import io.ringflow.Pipeline;
import io.ringflow.Sink;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The demo's console: sinks that keep the latest results (thread-safe: every shard writes
 * to them), and a compact summary of them and of the pipeline's meters, printed every few
 * seconds by {@link #print}. Cost per result: one map put or queue add; printing reads
 * the meters, which is cheap for the pipeline (the latency percentiles are computed on the
 * reading thread).
 */
public final class TradingReport {

    private static final int SHOWN_SYMBOLS = 4;
    private static final int SHOWN_ALERTS = 5;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private final Map<String, Vwap> latestVwap = new ConcurrentHashMap<>();
    private final Map<String, Volume> latestVolume = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<PriceAlert> newAlerts = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<TraderSession> newSessions = new ConcurrentLinkedQueue<>();
    private final LongAdder vwaps = new LongAdder();
    private final LongAdder volumes = new LongAdder();
    private final LongAdder alerts = new LongAdder();
    private final LongAdder sessions = new LongAdder();
    private final LongAdder lateTrades = new LongAdder();
    private final LongAdder staleQuotes = new LongAdder();
    private final LongAdder pricedTrades = new LongAdder();
    private final DoubleAdder spreadBps = new DoubleAdder();
    private final LongAdder sectorFlows = new LongAdder();
    private final Map<String, SectorFlow> latestSectorFlow = new ConcurrentHashMap<>();
    private final LongAdder filledOrders = new LongAdder();
    private final LongAdder unfilledOrders = new LongAdder();
    private final ConcurrentLinkedQueue<StaleQuote> newStaleQuotes = new ConcurrentLinkedQueue<>();
    private final List<String> shown;
    private final long startNanos = System.nanoTime();
    private long lastEvents;
    private long lastNanos = startNanos;

    /** @param shownSymbols the symbols whose VWAP each summary shows (the first few) */
    public TradingReport(List<String> shownSymbols) {
        this.shown = shownSymbols.subList(0, Math.min(SHOWN_SYMBOLS, shownSymbols.size()));
    }

    /** The sinks of {@link TradingTopology}, all writing into this report. */
    public TradingTopology.Outputs outputs() {
        Sink<Vwap> vwap = (v, t) -> {
            latestVwap.put(v.symbol(), v);
            vwaps.increment();
        };
        Sink<Volume> volume = (v, t) -> {
            latestVolume.put(v.symbol(), v);
            volumes.increment();
        };
        Sink<PriceAlert> alert = (a, t) -> {
            newAlerts.add(a);
            alerts.increment();
        };
        Sink<TraderSession> session = (s, t) -> {
            newSessions.add(s);
            sessions.increment();
        };
        Sink<KeyValue<String, Trade>> late = (kv, t) -> lateTrades.increment();
        Sink<StaleQuote> stale = (q, t) -> {
            newStaleQuotes.add(q);
            staleQuotes.increment();
        };
        Sink<PricedTrade> priced = (p, t) -> {
            pricedTrades.increment();
            spreadBps.add(p.effectiveSpreadBps());
        };
        Sink<SectorFlow> sector = (f, t) -> {
            latestSectorFlow.put(f.sector(), f);
            sectorFlows.increment();
        };
        Sink<OrderFill> fill = (f, t) -> (f.filled() ? filledOrders : unfilledOrders).increment();
        return new TradingTopology.Outputs(vwap, volume, alert, session, late, stale, priced, sector, fill);
    }

    /** Prints one summary: counts, a few VWAPs, alerts and sessions since the last one, latency. */
    public synchronized void print(Pipeline pipeline, PrintStream out) {
        MeterRegistry registry = pipeline.meterRegistry();
        long now = System.nanoTime();
        long events = sourceEvents(registry);
        double rate = (events - lastEvents) * 1e9 / Math.max(1, now - lastNanos);
        lastEvents = events;
        lastNanos = now;
        out.printf(Locale.ROOT, "[%5.1f s] %,d events (%,.0f/s) | results: vwap %,d  volume %,d  alerts %,d  "
                        + "sessions %,d | late trades %,d%n",
                (now - startNanos) / 1e9, events, rate, vwaps.sum(), volumes.sum(), alerts.sum(), sessions.sum(),
                lateTrades.sum());
        out.printf(Locale.ROOT, "          latency, event in to VWAP out: p50 %s  p99 %s  p99.9 %s%n",
                latency(registry, "0.5"), latency(registry, "0.99"), latency(registry, "0.999"));
        StringBuilder line = new StringBuilder("          VWAP 1s  ");
        for (String symbol : shown) {
            Vwap v = latestVwap.get(symbol);
            if (v != null) {
                line.append(String.format(Locale.ROOT, " %s %.2f (%,d sh)", symbol, v.vwap(), v.volume()));
            }
        }
        out.println(line);
        Map<String, Volume> volumeNow = new TreeMap<>(latestVolume);
        if (!volumeNow.isEmpty()) {
            StringBuilder vol = new StringBuilder("          volume 1m");
            for (String symbol : shown) {
                Volume v = volumeNow.get(symbol);
                if (v != null) {
                    vol.append(String.format(Locale.ROOT, " %s %,d", symbol, v.volume()));
                }
            }
            out.println(vol);
        }
        int printed = 0;
        int more = 0;
        for (PriceAlert a; (a = newAlerts.poll()) != null; ) {
            if (printed++ < SHOWN_ALERTS) {
                out.printf(Locale.ROOT, "          ALERT %-5s %+.2f%% (%.2f -> %.2f) at %s%n",
                        a.symbol(), a.movePercent(), a.from(), a.to(), TIME.format(Instant.ofEpochMilli(a.eventTime())));
            } else {
                more++;
            }
        }
        if (more > 0) {
            out.println("          ... and " + more + " more alerts");
        }
        printJoins(out);
        printStaleQuotes(out);
        List<TraderSession> closed = new ArrayList<>();
        for (TraderSession s; (s = newSessions.poll()) != null; ) {
            closed.add(s);
        }
        if (!closed.isEmpty()) {
            TraderSession last = closed.get(closed.size() - 1);
            out.printf(Locale.ROOT, "          sessions closed: %d, e.g. %s %d trades, %.1f s, notional %,.0f%n",
                    closed.size(), last.trader(), last.trades(), (last.end() - last.start()) / 1000.0,
                    last.notional());
        }
    }

    /** The joins' results since the start: priced trades, orders filled or not, the latest sector flows. */
    private void printJoins(PrintStream out) {
        long priced = pricedTrades.sum();
        out.printf(Locale.ROOT, "          joins: %,d trades priced at their quote (effective spread %.2f bps on"
                        + " average), orders %,d filled within 2 s, %,d not%n", priced,
                priced == 0 ? 0.0 : spreadBps.sum() / priced, filledOrders.sum(), unfilledOrders.sum());
        if (!latestSectorFlow.isEmpty()) {
            StringBuilder sectors = new StringBuilder("          sector flow 10s");
            new TreeMap<>(latestSectorFlow).forEach((name, f) ->
                    sectors.append(String.format(Locale.ROOT, " %s %,.0f", name, f.notional())));
            out.println(sectors);
        }
    }

    /** The stale-quote alarms since the last summary. */
    private void printStaleQuotes(PrintStream out) {
        List<StaleQuote> stale = new ArrayList<>();
        for (StaleQuote q; (q = newStaleQuotes.poll()) != null; ) {
            stale.add(q);
        }
        if (!stale.isEmpty()) {
            StaleQuote last = stale.get(stale.size() - 1);
            out.printf(Locale.ROOT, "          stale quotes: %d, e.g. %s none since %s%n", stale.size(), last.symbol(),
                    TIME.format(Instant.ofEpochMilli(last.lastQuoteTime())));
        }
    }

    /**
     * Results received so far: VWAPs, volumes, alerts, sessions, late trades, stale quotes,
     * priced trades, sector flows, orders matched with a fill, orders without one.
     */
    public long[] totals() {
        return new long[] {vwaps.sum(), volumes.sum(), alerts.sum(), sessions.sum(), lateTrades.sum(),
            staleQuotes.sum(), pricedTrades.sum(), sectorFlows.sum(), filledOrders.sum(), unfilledOrders.sum()};
    }

    /** Events the source emitted, from the pipeline's {@code ringflow.records.out} counter. */
    static long sourceEvents(MeterRegistry registry) {
        double sum = 0;
        for (FunctionCounter c : registry.find("ringflow.records.out").tag("operator", TradingTopology.SOURCE)
                .functionCounters()) {
            sum += c.count();
        }
        return (long) sum;
    }

    private static String latency(MeterRegistry registry, String phi) {
        TimeGauge gauge = registry.find("ringflow.latency.percentile").tag("operator", TradingTopology.VWAP_OUT)
                .tag("phi", phi).timeGauge();
        if (gauge == null) {
            return "-";
        }
        double micros = gauge.value(TimeUnit.MICROSECONDS);
        return micros >= 1000 ? String.format(Locale.ROOT, "%.2f ms", micros / 1000)
                : String.format(Locale.ROOT, "%.0f us", micros);
    }
}
