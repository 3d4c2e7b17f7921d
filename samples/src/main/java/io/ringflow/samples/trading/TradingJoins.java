package io.ringflow.samples.trading;

import io.ringflow.EventStream;
import io.ringflow.GlobalTable;
import io.ringflow.KeyValue;
import io.ringflow.KeyedStream;
import io.ringflow.Materialized;
import io.ringflow.Named;
import io.ringflow.Sink;
import io.ringflow.VersionedTable;
import io.ringflow.state.Serde;
import io.ringflow.state.Serdes;
import io.ringflow.windowing.EmitStrategy;
import io.ringflow.windowing.TumblingWindows;
import java.time.Duration;

/**
 * The trading topology's joins, one method each: trades priced against the quote that stood
 * when they happened (as-of join), trades enriched with their instrument's sector from a global
 * table, and orders matched with their fills (interval join).
 */
final class TradingJoins {

    static final String PRICED = "priced";
    static final String SECTOR_JOIN = "sector";
    static final String SECTOR_FLOW = "sector-flow";
    static final String ORDER_FILLS = "order-fills";
    /** How much quote history the as-of join keeps behind the watermark. */
    static final Duration QUOTE_HISTORY = Duration.ofSeconds(5);
    /** How long after its order a fill counts: the desk's limit. */
    static final Duration FILL_LIMIT = Duration.ofSeconds(2);

    private TradingJoins() {
    }

    /**
     * Each trade with the quote valid at its event time, not the latest one to arrive: the join
     * waits until the watermark passes the trade, so an out-of-order quote still counts. A trade
     * before the first quote of its symbol gives nothing.
     */
    static void priceTrades(EventStream<Trade> trades, EventStream<Quote> quotes, Sink<? super PricedTrade> out,
                            String sinkName) {
        VersionedTable<String, Quote> quoteHistory = quotes.keyBy(Quote::symbol, Named.as("quotes-by-symbol"))
                .toVersionedTable(QUOTE_HISTORY, Materialized.with(Serdes.string(), MarketSerdes.QUOTE));
        trades.keyBy(Trade::symbol, Named.as("trades-by-symbol"))
                .asOfJoin(quoteHistory, PricedTrade::of, Named.as(PRICED),
                        Materialized.with(Serdes.string(), MarketSerdes.TRADE))
                .toStream()
                .map(KeyValue::value)
                .to(out, Named.as(sinkName));
    }

    /**
     * Notional per sector per 10-second window: each trade joined with its instrument from a
     * global table with no keyBy, then keyed by sector. The instruments come on the feed before
     * any trade, from the same reader, so every trade finds its instrument on every shard.
     */
    static void sectorFlow(EventStream<Trade> trades, EventStream<Instrument> instruments, Duration grace,
                           Sink<? super SectorFlow> out, String sinkName) {
        GlobalTable<String, Instrument> reference = instruments.toGlobalTable(Instrument::symbol, i -> i,
                Named.as("instruments"), Materialized.with(Serdes.string(), MarketSerdes.INSTRUMENT));
        trades.join(reference, Trade::symbol, (trade, instrument) -> KeyValue.of(instrument.sector(), trade.notional()),
                        Named.as(SECTOR_JOIN))
                .keyBy(KeyValue::key, Named.as("by-sector"))
                .window(TumblingWindows.of(Duration.ofSeconds(10)).grace(grace))
                .emit(EmitStrategy.onWindowClose())
                .aggregate(() -> SectorSum.EMPTY, (sector, trade, sum) -> sum.add(trade.value()), null,
                        Named.as(SECTOR_FLOW), Materialized.with(Serdes.string(), SectorSum.SERDE))
                .toStream()
                .map(r -> new SectorFlow(r.key().key(), r.key().window().start(), r.key().window().end(),
                        r.value().notional(), r.value().trades()))
                .to(out, Named.as(sinkName));
    }

    /** Running sums of one sector window. */
    record SectorSum(double notional, long trades) {
        static final SectorSum EMPTY = new SectorSum(0, 0);
        static final Serde<SectorSum> SERDE = Serdes.of("SectorSum",
                (s, out) -> { out.writeDouble(s.notional); out.writeLong(s.trades); },
                in -> new SectorSum(in.readDouble(), in.readLong()));

        SectorSum add(double tradeNotional) {
            return new SectorSum(notional + tradeNotional, trades + 1);
        }
    }

    /**
     * Each order with its fill if one came within {@link #FILL_LIMIT} of it, or alone once the
     * limit has passed in event time (a left interval join, keyed by order id).
     */
    static void matchFills(EventStream<Order> orders, EventStream<Fill> fills, Sink<? super OrderFill> out,
                           String sinkName) {
        KeyedStream<String, Order> byOrder = orders.keyBy(Order::orderId, Named.as("orders-by-id"));
        KeyedStream<String, Fill> fillsByOrder = fills.keyBy(Fill::orderId, Named.as("fills-by-order"));
        byOrder.intervalJoin(fillsByOrder).between(Duration.ZERO, FILL_LIMIT)
                .withValueSerdes(MarketSerdes.ORDER, MarketSerdes.FILL)
                .leftJoin(OrderFill::of, Named.as(ORDER_FILLS))
                .toStream()
                .map(KeyValue::value)
                .to(out, Named.as(sinkName));
    }
}
