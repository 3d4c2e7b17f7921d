package io.ringflow.samples.trading;

import java.util.Locale;

/**
 * One trader's burst of activity: trades less than the session gap apart, from the first
 * trade's time {@code start} to the last one's plus the gap, {@code end}.
 */
public record TraderSession(String trader, long start, long end, int trades, double notional) {

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s [%d, %d) trades=%d notional=%.2f",
                trader, start, end, trades, notional);
    }
}
