package io.ringflow.samples.trading;

/**
 * What the market sends: a {@link Trade} or a {@link Quote}, the desk's {@link Order}s with
 * their {@link Fill}s, and each symbol's {@link Instrument} data, each for one symbol at one event
 * time (epoch milliseconds). One stream carries them all, so one watermark orders them.
 */
public sealed interface MarketEvent permits Trade, Quote, Order, Fill, Instrument {

    String symbol();

    /** When it happened at the exchange, epoch milliseconds: the event time windows use. */
    long eventTime();
}
