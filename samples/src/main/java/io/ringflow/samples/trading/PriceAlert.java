package io.ringflow.samples.trading;

import java.util.Locale;

/**
 * {@code symbol}'s mid price moved from {@code from} to {@code to} ({@code movePercent},
 * negative for a fall) within the 10-second window starting at {@code windowStart}: from the
 * earlier of the window's low and high to the later one, quoted at {@code eventTime}.
 */
public record PriceAlert(String symbol, long windowStart, double from, double to, double movePercent, long eventTime) {

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %+.2f%% (%.2f -> %.2f) at %d in window %d",
                symbol, movePercent, from, to, eventTime, windowStart);
    }
}
