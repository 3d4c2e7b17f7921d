package io.ringflow.samples.trading;

/** An order sent to the market: {@code qty} shares of {@code symbol} for {@code trader}; its fills follow it. */
public record Order(String orderId, String symbol, String trader, long qty, long eventTime) implements MarketEvent {
}
