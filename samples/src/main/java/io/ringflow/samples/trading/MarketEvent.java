package io.ringflow.samples.trading;

/**
 * What the market sends: a {@link Trade} or a {@link Quote}, and the desk's {@link Order}s with
 * their {@link Fill}s, each for one symbol at one event time (epoch milliseconds). One stream
 * carries all four, so one watermark orders them.
 */
public sealed interface MarketEvent permits Trade, Quote, Order, Fill {

    String symbol();

    /** When it happened at the exchange, epoch milliseconds: the event time windows use. */
    long eventTime();
}
