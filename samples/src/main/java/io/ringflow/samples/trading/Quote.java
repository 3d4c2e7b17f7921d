package io.ringflow.samples.trading;

/** The best bid and ask of {@code symbol} at {@code eventTime}. */
public record Quote(String symbol, double bid, double ask, long eventTime) implements MarketEvent {

    /** The mid price, halfway between bid and ask: what price alerts watch. */
    public double mid() {
        return (bid + ask) / 2;
    }
}
