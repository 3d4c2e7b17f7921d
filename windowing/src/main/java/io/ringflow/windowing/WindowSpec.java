package io.ringflow.windowing;

/** What every kind of window has: how long it stays open for late records after its end. */
public sealed interface WindowSpec permits TimeWindows, SessionWindows {

    /**
     * How long after a window's end it still accepts records: it closes when
     * {@code watermark >= end + grace}, and a record for a closed window is late.
     */
    long graceMillis();
}
