package io.ringflow.samples.trading;

/**
 * A trade priced against the quote that stood when it happened (the as-of join): the quote's
 * mid and time, and the trade's effective spread, {@code 2 |price - mid| / mid} in basis points:
 * what crossing the spread cost.
 */
public record PricedTrade(String symbol, String trader, long tradeTime, double price, long qty, double mid,
                          long quoteTime, double effectiveSpreadBps) {

    static PricedTrade of(Trade trade, Quote quote) {
        double mid = quote.mid();
        double bps = Math.round(2 * Math.abs(trade.price() - mid) / mid * 10_000 * 100) / 100.0;
        return new PricedTrade(trade.symbol(), trade.trader(), trade.eventTime(), trade.price(), trade.qty(), mid,
                quote.eventTime(), bps);
    }
}
