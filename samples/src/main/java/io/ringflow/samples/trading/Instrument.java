package io.ringflow.samples.trading;

/**
 * Reference data of {@code symbol}: its sector and lot size. The market sends every instrument
 * once, before its first trade or quote, at the market's start time, so the feed itself carries
 * the global table the trades are enriched from.
 */
public record Instrument(String symbol, String sector, int lotSize, long eventTime) implements MarketEvent {
}
