package io.ringflow.samples.trading;

import java.util.Locale;

/**
 * The volume-weighted average price of {@code symbol} over the window
 * {@code [start, end)}: the sum of price times quantity over the sum of quantities.
 */
public record Vwap(String symbol, long start, long end, double vwap, long volume, int trades) {

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s@[%d, %d) vwap=%.4f volume=%d trades=%d",
                symbol, start, end, vwap, volume, trades);
    }
}
