package io.ringflow.samples.trading;

/** A trade: {@code qty} shares of {@code symbol} at {@code price}, done by {@code trader}. */
public record Trade(String symbol, String trader, double price, long qty, long eventTime) implements MarketEvent {

    /** Price times quantity: what the trade was worth. */
    public double notional() {
        return price * qty;
    }
}
