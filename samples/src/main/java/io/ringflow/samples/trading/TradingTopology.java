package io.ringflow.samples.trading;

import io.ringflow.EventStream;
import io.ringflow.KeyValue;
import io.ringflow.Materialized;
import io.ringflow.Named;
import io.ringflow.Sink;
import io.ringflow.Source;
import io.ringflow.StreamBuilder;
import io.ringflow.Topology;
import io.ringflow.state.Serde;
import io.ringflow.state.Serdes;
import io.ringflow.watermark.WatermarkStrategy;
import io.ringflow.windowing.EmitStrategy;
import io.ringflow.windowing.HoppingWindows;
import io.ringflow.windowing.SessionWindows;
import io.ringflow.windowing.TumblingWindows;
import io.ringflow.windowing.Windowed;
import java.time.Duration;

/**
 * The trading demo's topology, shared by {@link TradingDemo} and the tests: one market
 * stream of trades and quotes in, four results out.
 *
 * <ul>
 *   <li><b>VWAP</b>: per symbol, per 1-second tumbling window, emitted once when the window
 *       closes ({@value #VWAP}; trades too late for it go to the late-trades sink).</li>
 *   <li><b>Volume</b>: shares traded per symbol in 1-minute windows hopping by 10 seconds
 *       ({@value #VOLUME}).</li>
 *   <li><b>Price alerts</b>: the moment a symbol's mid price has moved more than
 *       {@link Settings#alertPercent()} between its low and its high within a 10-second
 *       window ({@value #PRICE_MOVE}, emitted on the crossing update, not at window close).</li>
 *   <li><b>Trader sessions</b>: per trader, trades less than {@link Settings#sessionGap()}
 *       apart, with their count and notional ({@value #SESSIONS}).</li>
 *   <li><b>Stale quotes</b>: a symbol with no quote for {@link Settings#staleQuote()} of event
 *       time, from an event-time timer each quote moves ({@value #STALE_QUOTES}).</li>
 *   <li><b>Priced trades</b>: each trade with the quote that stood at its event time and its
 *       effective spread, by an as-of join on a versioned table of quotes.</li>
 *   <li><b>Sector flow</b>: notional per sector per 10 s, trades enriched with their instrument
 *       from a global table (the instruments come on the feed).</li>
 *   <li><b>Order fills</b>: each order with its fill within 2 s, or alone: a left interval join.</li>
 * </ul>
 *
 * Cost: {@code keyBy} by symbol for three windowed aggregations and by trader for one, so
 * four keyed stores (RocksDB in a pipeline); one small aggregate object per record per
 * window it updates.
 */
public final class TradingTopology {

    /** The source, and the names of the windowed operators (their stores and late counts). */
    public static final String SOURCE = "market";
    public static final String VWAP = "vwap";
    public static final String VOLUME = "volume-1m";
    public static final String PRICE_MOVE = "price-move";
    public static final String SESSIONS = "sessions";
    public static final String STALE_QUOTES = "stale-quotes";
    /** Sink names: what {@code TopologyTestDriver.output(...)} and the latency meters use. */
    public static final String VWAP_OUT = "vwap-out";
    public static final String VOLUME_OUT = "volume-out";
    public static final String ALERTS_OUT = "alerts-out";
    public static final String SESSIONS_OUT = "sessions-out";
    public static final String LATE_TRADES = "late-trades";
    public static final String STALE_QUOTES_OUT = "stale-quotes-out";
    public static final String PRICED_OUT = "priced-out";
    public static final String SECTOR_FLOW_OUT = "sector-flow-out";
    public static final String ORDER_FILLS_OUT = "order-fills-out";

    private TradingTopology() {
    }

    /** Where each result goes. */
    public record Outputs(Sink<? super Vwap> vwap, Sink<? super Volume> volume, Sink<? super PriceAlert> alerts,
                          Sink<? super TraderSession> sessions, Sink<? super KeyValue<String, Trade>> lateTrades,
                          Sink<? super StaleQuote> staleQuotes, Sink<? super PricedTrade> pricedTrades,
                          Sink<? super SectorFlow> sectorFlows, Sink<? super OrderFill> orderFills) {

        /** Every result into one sink: for tests that compare all of them at once. */
        public static Outputs allTo(Sink<Object> sink) {
            return new Outputs(sink, sink, sink, sink, sink, sink, sink, sink, sink);
        }
    }

    /**
     * The knobs: how far out of order events may arrive ({@code outOfOrderness}, the
     * watermark's bound), how long a window waits after its end for stragglers
     * ({@code grace}), the alert threshold in percent, the trader session gap, and how long
     * a quiet input (a Kafka partition) may hold the watermark back ({@code idleness}).
     */
    public record Settings(Duration outOfOrderness, Duration grace, double alertPercent, Duration sessionGap,
                           Duration idleness, Duration staleQuote) {

        /** 200 ms out of order, 100 ms grace, alerts above 1 %, 3-second sessions, 1 s idleness, quotes stale after 2 s. */
        public static Settings defaults() {
            return new Settings(Duration.ofMillis(200), Duration.ofMillis(100), 1.0, Duration.ofSeconds(3),
                    Duration.ofSeconds(1), Duration.ofSeconds(2));
        }

        public Settings withAlertPercent(double percent) {
            return new Settings(outOfOrderness, grace, percent, sessionGap, idleness, staleQuote);
        }
    }

    /** Builds the topology; fails, naming the operator, if it cannot run. */
    public static Topology build(Source<MarketEvent> market, Outputs out, Settings settings) {
        StreamBuilder builder = new StreamBuilder("trading");
        EventStream<MarketEvent> events = builder.source(SOURCE, market,
                WatermarkStrategy.<MarketEvent>forBoundedOutOfOrderness(settings.outOfOrderness())
                        .withTimestampExtractor((event, sourceTime) -> event.eventTime())
                        .withIdleness(settings.idleness()));
        EventStream<Trade> trades = events.filter(e -> e instanceof Trade, Named.as("trades"))
                .map(e -> (Trade) e, Named.as("as-trade"));
        EventStream<Quote> quotes = events.filter(e -> e instanceof Quote, Named.as("quotes"))
                .map(e -> (Quote) e, Named.as("as-quote"));

        trades.keyBy(Trade::symbol)
                .window(TumblingWindows.of(Duration.ofSeconds(1)).grace(settings.grace()))
                .emit(EmitStrategy.onWindowClose())
                .lateRecords(out.lateTrades(), Named.as(LATE_TRADES))
                .aggregate(VwapSum::empty, (symbol, trade, sum) -> sum.add(trade), null, Named.as(VWAP),
                        Materialized.with(Serdes.string(), VwapSum.SERDE))
                .toStream()
                .map(r -> r.value().toVwap(r.key()))
                .to(out.vwap(), Named.as(VWAP_OUT));

        trades.keyBy(Trade::symbol)
                .window(HoppingWindows.of(Duration.ofMinutes(1)).advanceBy(Duration.ofSeconds(10))
                        .grace(settings.grace()))
                .emit(EmitStrategy.onWindowClose())
                .aggregate(() -> 0L, (symbol, trade, volume) -> volume + trade.qty(), Named.as(VOLUME))
                .toStream()
                .map(r -> new Volume(r.key().key(), r.key().window().start(), r.key().window().end(), r.value()))
                .to(out.volume(), Named.as(VOLUME_OUT));

        priceAlerts(quotes, out, settings);

        trades.keyBy(Trade::trader)
                .window(SessionWindows.withGap(settings.sessionGap()).grace(settings.grace()))
                .emit(EmitStrategy.onWindowClose())
                .aggregate(SessionSum::empty, (trader, trade, sum) -> sum.add(trade), (trader, a, b) -> a.merge(b),
                        Named.as(SESSIONS), Materialized.with(Serdes.string(), SessionSum.SERDE))
                .toStream()
                .map(r -> r.value().toSession(r.key()))
                .to(out.sessions(), Named.as(SESSIONS_OUT));

        EventStream<Order> orders = events.filter(e -> e instanceof Order, Named.as("orders"))
                .map(e -> (Order) e, Named.as("as-order"));
        EventStream<Fill> fills = events.filter(e -> e instanceof Fill, Named.as("fills"))
                .map(e -> (Fill) e, Named.as("as-fill"));
        EventStream<Instrument> instruments = events.filter(e -> e instanceof Instrument, Named.as("reference"))
                .map(e -> (Instrument) e, Named.as("as-instrument"));
        TradingJoins.priceTrades(trades, quotes, out.pricedTrades(), PRICED_OUT);
        TradingJoins.sectorFlow(trades, instruments, settings.grace(), out.sectorFlows(), SECTOR_FLOW_OUT);
        TradingJoins.matchFills(orders, fills, out.orderFills(), ORDER_FILLS_OUT);

        staleQuotes(quotes, out, settings);
        return builder.build();
    }

    /** A price-move alert the moment a symbol's 10-second range crosses the threshold. */
    private static void priceAlerts(EventStream<Quote> quotes, Outputs out, Settings settings) {
        double threshold = settings.alertPercent();
        quotes.keyBy(Quote::symbol)
                .window(TumblingWindows.of(Duration.ofSeconds(10)).grace(settings.grace()))
                .emit(EmitStrategy.onEveryUpdate()) // an alert is worth most the moment it is true
                .aggregate(PriceRange::empty, (symbol, quote, range) -> range.add(quote, threshold), null,
                        Named.as(PRICE_MOVE), Materialized.with(Serdes.string(), PriceRange.SERDE))
                .toStream()
                .filter(r -> r.value().crossedNow())
                .map(r -> r.value().toAlert(r.key()))
                .to(out.alerts(), Named.as(ALERTS_OUT));
    }

    /** A symbol quiet for {@link Settings#staleQuote()} of event time. */
    private static void staleQuotes(EventStream<Quote> quotes, Outputs out, Settings settings) {
        quotes.keyBy(Quote::symbol)
                .process(new StaleQuoteAlarm(settings.staleQuote().toMillis()), Named.as(STALE_QUOTES))
                .toStream()
                .map(KeyValue::value)
                .to(out.staleQuotes(), Named.as(STALE_QUOTES_OUT));
    }

    /** Running sums of one VWAP window. */
    record VwapSum(double notional, long volume, int trades) {
        static final Serde<VwapSum> SERDE = Serdes.of("VwapSum",
                (s, out) -> { out.writeDouble(s.notional); out.writeLong(s.volume); out.writeInt(s.trades); },
                in -> new VwapSum(in.readDouble(), in.readLong(), in.readInt()));

        static VwapSum empty() {
            return new VwapSum(0, 0, 0);
        }

        VwapSum add(Trade trade) {
            return new VwapSum(notional + trade.notional(), volume + trade.qty(), trades + 1);
        }

        Vwap toVwap(Windowed<String> window) {
            return new Vwap(window.key(), window.window().start(), window.window().end(), notional / volume, volume,
                    trades);
        }
    }

    /**
     * The low and high mid price of one 10-second window, when each was quoted, and whether
     * the move between them has crossed the threshold: {@code crossedNow} is true only on
     * the update that crossed it, so each window alerts at most once.
     */
    record PriceRange(double low, long lowTime, double high, long highTime, boolean alerted, boolean crossedNow) {
        static final Serde<PriceRange> SERDE = Serdes.of("PriceRange",
                (r, out) -> {
                    out.writeDouble(r.low);
                    out.writeLong(r.lowTime);
                    out.writeDouble(r.high);
                    out.writeLong(r.highTime);
                    out.writeBoolean(r.alerted);
                    out.writeBoolean(r.crossedNow);
                },
                in -> new PriceRange(in.readDouble(), in.readLong(), in.readDouble(), in.readLong(), in.readBoolean(),
                        in.readBoolean()));

        static PriceRange empty() {
            return new PriceRange(Double.MAX_VALUE, 0, -Double.MAX_VALUE, 0, false, false);
        }

        PriceRange add(Quote quote, double thresholdPercent) {
            double mid = quote.mid();
            double newLow = low;
            long newLowTime = lowTime;
            double newHigh = high;
            long newHighTime = highTime;
            if (mid < low) {
                newLow = mid;
                newLowTime = quote.eventTime();
            }
            if (mid > high) {
                newHigh = mid;
                newHighTime = quote.eventTime();
            }
            boolean crossed = !alerted && (newHigh - newLow) / newLow * 100 > thresholdPercent;
            return new PriceRange(newLow, newLowTime, newHigh, newHighTime, alerted || crossed, crossed);
        }

        /** From the earlier extreme to the later one: a rise if the low came first. */
        PriceAlert toAlert(Windowed<String> window) {
            boolean rise = lowTime <= highTime;
            double from = rise ? low : high;
            double to = rise ? high : low;
            return new PriceAlert(window.key(), window.window().start(), from, to, (to - from) / from * 100,
                    Math.max(lowTime, highTime));
        }
    }

    /** Trades and notional of one trader session. */
    record SessionSum(int trades, double notional) {
        static final Serde<SessionSum> SERDE = Serdes.of("SessionSum",
                (s, out) -> { out.writeInt(s.trades); out.writeDouble(s.notional); },
                in -> new SessionSum(in.readInt(), in.readDouble()));

        static SessionSum empty() {
            return new SessionSum(0, 0);
        }

        SessionSum add(Trade trade) {
            return new SessionSum(trades + 1, notional + trade.notional());
        }

        SessionSum merge(SessionSum other) {
            return new SessionSum(trades + other.trades, notional + other.notional);
        }

        TraderSession toSession(Windowed<String> window) {
            return new TraderSession(window.key(), window.window().start(), window.window().end(), trades, notional);
        }
    }
}
