package io.ringflow.samples.trading;

/** Shares of {@code symbol} traded in the window {@code [start, end)}. */
public record Volume(String symbol, long start, long end, long volume) {

    @Override
    public String toString() {
        return symbol + "@[" + start + ", " + end + ") volume=" + volume;
    }
}
