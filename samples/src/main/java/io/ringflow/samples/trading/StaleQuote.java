package io.ringflow.samples.trading;

/** {@code symbol} has had no quote since {@code lastQuoteTime}; event time said so at {@code detectedAt}. */
public record StaleQuote(String symbol, long lastQuoteTime, long detectedAt) {
}
