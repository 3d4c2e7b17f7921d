package io.ringflow.windowing;

/**
 * A span of event time, {@code start} inclusive, {@code end} exclusive, epoch milliseconds.
 * A window is closed once the watermark reaches {@code end + grace}.
 */
public record Window(long start, long end) {

    public Window {
        if (end <= start) {
            throw new IllegalArgumentException("a window ends after it starts: [" + start + ", " + end + ")");
        }
    }

    public boolean contains(long timestamp) {
        return timestamp >= start && timestamp < end;
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end + ")";
    }
}
