package io.ringflow.samples.trading;

/** Notional traded in {@code sector} in the 10-second window {@code [start, end)}, over {@code trades} trades. */
public record SectorFlow(String sector, long start, long end, double notional, long trades) {
}
