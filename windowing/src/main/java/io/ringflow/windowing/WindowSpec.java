package io.ringflow.windowing;

/**
 * What every kind of window has: how long it stays open for late records after its end, and
 * whether its windows merge.
 */
public sealed interface WindowSpec permits TimeWindows, SessionWindows {

    /**
     * How long after a window's end it still accepts records: it closes when
     * {@code watermark >= end + grace}, and a record for a closed window is late.
     */
    long graceMillis();

    /**
     * Whether a record can join two windows of its key into one, as it does two sessions it
     * bridges: an aggregate over such windows needs a merger for their aggregates.
     */
    boolean isMerging();
}
