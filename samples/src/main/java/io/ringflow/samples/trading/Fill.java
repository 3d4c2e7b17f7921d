package io.ringflow.samples.trading;

/** The market's execution of order {@code orderId}: {@code qty} shares at {@code price}. */
public record Fill(String orderId, String symbol, double price, long qty, long eventTime) implements MarketEvent {
}
