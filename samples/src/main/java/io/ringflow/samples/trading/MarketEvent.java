package io.ringflow.samples.trading;

/**
 * What the market sends: a {@link Trade} or a {@link Quote}, each for one symbol at one
 * event time (epoch milliseconds). One stream carries both, so one watermark orders them.
 */
public sealed interface MarketEvent permits Trade, Quote {

    String symbol();

    /** When it happened at the exchange, epoch milliseconds: the event time windows use. */
    long eventTime();
}
