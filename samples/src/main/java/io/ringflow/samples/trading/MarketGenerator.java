package io.ringflow.samples.trading;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A deterministic market: trades and quotes for many symbols, prices on a random walk with
 * rare jumps (so price alerts fire), traders who trade in bursts separated by pauses (so
 * trader sessions open and close), and realistic disorder: a fraction of events arrive a
 * little out of order (less than the watermark's bound, so they still count) and a small
 * fraction arrive seconds late (after their windows closed, so they are counted as late).
 * Every symbol's {@link Instrument} comes first, at the start time, before any trade or quote.
 * Every tenth symbol is halted for 4 s a minute (no trades, no quotes: its quotes go stale).
 * The desk sends orders, most filled within 1.5 s, some filled only after 2.5 s, some never;
 * they come from a random generator of their own, so the trades and quotes are those of a
 * market without them.
 *
 * <p>Events are due every {@code 1000 / rate} ms of event time from {@code startMillis}; a
 * delayed event keeps its event time and is handed out at {@code eventTime + delay}. The
 * same settings and seed give the same events in the same arrival order, so tests can
 * assert exact results. Cost per event: a few random numbers, one event object and one
 * priority-queue entry; not thread-safe.
 */
public final class MarketGenerator {

    private static final String[] TICKERS = {"AAPL", "MSFT", "NVDA", "AMZN", "GOOG", "META", "TSLA", "AVGO",
        "JPM", "V", "XOM", "UNH", "MA", "JNJ", "PG", "HD", "COST", "ABBV", "MRK", "KO"};
    private static final String[] SECTORS = {"Technology", "Technology", "Technology", "Consumer", "Communication",
        "Communication", "Consumer", "Technology", "Financials", "Financials", "Energy", "Health Care", "Financials",
        "Health Care", "Staples", "Consumer", "Staples", "Health Care", "Health Care", "Staples"};
    /** Per-event volatility of the mid price, and how often it jumps by about 1.5 %. */
    private static final double STEP_SIGMA = 0.0001;
    private static final double JUMP_PROBABILITY = 0.0005;
    private static final double JUMP_SIZE = 0.015;
    private static final double TRADE_PROBABILITY = 0.4;
    /** Of every event generated, how often the desk sends an order too; what becomes of an order. */
    private static final double ORDER_PROBABILITY = 0.03;
    private static final double FILLED_SOON = 0.9;
    private static final double FILLED_LATE = 0.05;
    /** Symbols 3, 13, 23, ... are halted for HALT_MILLIS of every HALT_CYCLE_MILLIS. */
    private static final int HALTED_EVERY = 10;
    private static final long HALT_MILLIS = 4_000;
    private static final long HALT_CYCLE_MILLIS = 60_000;

    /** One event and when it arrives (epoch ms of the generator's clock). */
    public record Arrival(MarketEvent event, long arrivalMillis) {
    }

    private record Pending(MarketEvent event, long arrival, long sequence) {
    }

    private final Settings settings;
    private final SplittableRandom random;
    private final SplittableRandom orders;
    private final String[] symbols;
    private final double[] mids;
    private final String[] traders;
    private final long[] traderPhase;
    private final long[] traderActive;
    private final long[] traderCycle;
    private final PriorityQueue<Pending> pending = new PriorityQueue<>(
            (a, b) -> a.arrival != b.arrival ? Long.compare(a.arrival, b.arrival) : Long.compare(a.sequence, b.sequence));
    private long generated;
    private long inserted;
    private long orderIds;

    /**
     * How the market behaves.
     *
     * @param seed            the random seed: same seed, same market
     * @param symbols         how many symbols (the first 20 are real tickers)
     * @param traders         how many traders
     * @param ratePerSecond   events (trades and quotes) per second of event time
     * @param startMillis     event time of the first event
     * @param outOfOrder      fraction of events delayed by up to {@code maxDisorderMillis}
     * @param maxDisorderMillis the longest such delay; below the watermark bound, so never late
     * @param late            fraction of events delayed by {@code lateDelayMillis}
     * @param lateDelayMillis the delay of late events; above watermark bound plus grace plus
     *                        the 1-second VWAP window, so they are always too late for it
     */
    public record Settings(long seed, int symbols, int traders, int ratePerSecond, long startMillis, double outOfOrder,
                           long maxDisorderMillis, double late, long lateDelayMillis) {

        /** Seed 42, 50 symbols, 40 traders, 2,000 events/s, 5 % out of order by up to 150 ms, 0.2 % late by 3 s. */
        public static Settings defaults(long startMillis) {
            return new Settings(42, 50, 40, 2_000, startMillis, 0.05, 150, 0.002, 3_000);
        }

        public Settings withSymbols(int count) {
            return new Settings(seed, count, traders, ratePerSecond, startMillis, outOfOrder, maxDisorderMillis, late,
                    lateDelayMillis);
        }

        public Settings withRate(int eventsPerSecond) {
            return new Settings(seed, symbols, traders, eventsPerSecond, startMillis, outOfOrder, maxDisorderMillis,
                    late, lateDelayMillis);
        }

        public Settings withStart(long millis) {
            return new Settings(seed, symbols, traders, ratePerSecond, millis, outOfOrder, maxDisorderMillis, late,
                    lateDelayMillis);
        }

        public Settings withLate(double fraction, long delayMillis) {
            return new Settings(seed, symbols, traders, ratePerSecond, startMillis, outOfOrder, maxDisorderMillis,
                    fraction, delayMillis);
        }
    }

    public MarketGenerator(Settings settings) {
        if (settings.symbols() < 1 || settings.traders() < 1 || settings.ratePerSecond() < 1) {
            throw new IllegalArgumentException("a market needs at least one symbol, one trader and a rate >= 1: "
                    + settings);
        }
        this.settings = settings;
        this.random = new SplittableRandom(settings.seed());
        this.orders = new SplittableRandom(settings.seed() * 31 + 17);
        this.symbols = new String[settings.symbols()];
        this.mids = new double[settings.symbols()];
        for (int i = 0; i < symbols.length; i++) {
            symbols[i] = i < TICKERS.length ? TICKERS[i] : String.format("S%03d", i);
            mids[i] = 20 + random.nextInt(480);
        }
        this.traders = new String[settings.traders()];
        this.traderPhase = new long[traders.length];
        this.traderActive = new long[traders.length];
        this.traderCycle = new long[traders.length];
        long gapMillis = 3_000;
        for (int i = 0; i < traders.length; i++) {
            traders[i] = String.format("trader-%02d", i);
            // Active 1-6 s, then quiet for longer than the session gap: one session per cycle.
            traderActive[i] = 1_000 + random.nextInt(5_000);
            traderCycle[i] = traderActive[i] + gapMillis + 1_000 + random.nextInt(4_000);
            traderPhase[i] = random.nextLong(traderCycle[i]);
        }
        for (int i = 0; i < symbols.length; i++) {
            String sector = i < SECTORS.length ? SECTORS[i] : SECTORS[i % SECTORS.length];
            pending.add(new Pending(new Instrument(symbols[i], sector, i % 3 == 0 ? 10 : 100, settings.startMillis()),
                    settings.startMillis(), inserted++));
        }
    }

    /** The symbols, in index order. */
    public List<String> symbols() {
        return List.of(symbols);
    }

    /** The next event to arrive. Endless. */
    public Arrival next() {
        // An event due later than the next one to generate cannot arrive before it: generate
        // until the earliest pending arrival is no later than the next event's due time.
        while (pending.isEmpty() || pending.peek().arrival > dueTime(generated)) {
            generate();
        }
        Pending next = pending.poll();
        return new Arrival(next.event, next.arrival);
    }

    /** The next {@code count} events, in arrival order. */
    public List<MarketEvent> take(int count) {
        List<MarketEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(next().event());
        }
        return events;
    }

    private long dueTime(long sequence) {
        return settings.startMillis() + sequence * 1_000 / settings.ratePerSecond();
    }

    private void generate() {
        long time = dueTime(generated);
        int s = random.nextInt(symbols.length);
        for (int tried = 0; halted(s, time) && tried < symbols.length; tried++) {
            s = (s + 1) % symbols.length;
        }
        double step = random.nextGaussian() * STEP_SIGMA;
        if (random.nextDouble() < JUMP_PROBABILITY) {
            step += random.nextBoolean() ? JUMP_SIZE : -JUMP_SIZE;
        }
        mids[s] = Math.max(1, mids[s] * (1 + step));
        double mid = cents(mids[s]);
        double halfSpread = Math.max(0.01, cents(mid * 0.0002));
        MarketEvent event = null;
        if (random.nextDouble() < TRADE_PROBABILITY) {
            String trader = activeTrader(time);
            if (trader != null) {
                double price = random.nextBoolean() ? mid + halfSpread : mid - halfSpread;
                event = new Trade(symbols[s], trader, cents(price), 100L * (1 + random.nextInt(10)), time);
            }
        }
        if (event == null) {
            event = new Quote(symbols[s], cents(mid - halfSpread), cents(mid + halfSpread), time);
        }
        double draw = random.nextDouble();
        long delay = 0;
        if (draw < settings.late()) {
            delay = settings.lateDelayMillis();
        } else if (draw < settings.late() + settings.outOfOrder()) {
            delay = 1 + random.nextLong(settings.maxDisorderMillis());
        }
        pending.add(new Pending(event, time + delay, inserted++));
        if (orders.nextDouble() < ORDER_PROBABILITY) {
            order(s, time, mid, halfSpread);
        }
        generated++;
    }

    /** An order for symbol {@code s}, and its fill, if it gets one: soon, too late for the desk's 2 s, or never. */
    private void order(int s, long time, double mid, double halfSpread) {
        String trader = traders[orders.nextInt(traders.length)];
        long qty = 100L * (1 + orders.nextInt(5));
        String id = "O" + orderIds++;
        pending.add(new Pending(new Order(id, symbols[s], trader, qty, time), time, inserted++));
        double outcome = orders.nextDouble();
        long fillDelay = outcome < FILLED_SOON ? 20 + orders.nextLong(1_480)
                : outcome < FILLED_SOON + FILLED_LATE ? 2_500 + orders.nextLong(1_500) : -1;
        if (fillDelay >= 0) {
            double price = cents(orders.nextBoolean() ? mid + halfSpread : mid - halfSpread);
            long fillTime = time + fillDelay;
            long disorder = orders.nextDouble() < settings.outOfOrder() ? 1 + orders.nextLong(settings.maxDisorderMillis()) : 0;
            pending.add(new Pending(new Fill(id, symbols[s], price, qty, fillTime), fillTime + disorder, inserted++));
        }
    }

    /** Whether symbol {@code s} is halted at {@code time}: no events for it then. */
    private boolean halted(int s, long time) {
        return s % HALTED_EVERY == 3
                && Math.floorMod(time - settings.startMillis() + s * 7_919L, HALT_CYCLE_MILLIS) < HALT_MILLIS;
    }

    /** A random trader in an active phase of their cycle, or {@code null} if all are quiet. */
    private String activeTrader(long time) {
        int first = random.nextInt(traders.length);
        for (int k = 0; k < traders.length; k++) {
            int i = (first + k) % traders.length;
            if (Math.floorMod(time - settings.startMillis() + traderPhase[i], traderCycle[i]) < traderActive[i]) {
                return traders[i];
            }
        }
        return null;
    }

    private static double cents(double price) {
        return Math.round(price * 100) / 100.0;
    }
}
