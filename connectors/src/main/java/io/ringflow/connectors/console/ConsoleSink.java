package io.ringflow.connectors.console;

import io.ringflow.Sink;
import java.io.PrintStream;

/**
 * Prints each record on its own line, for demos and debugging. Long values can be cut to a
 * maximum length. Thread-safe (a {@link PrintStream} locks per line); printing is slow, so
 * keep it off a hot path.
 *
 * <pre>{@code stream.to(ConsoleSink.create().truncate(80))}</pre>
 */
public final class ConsoleSink<T> implements Sink<T> {

    private final PrintStream out;
    private final int maxLength;
    private final boolean timestamps;

    private ConsoleSink(PrintStream out, int maxLength, boolean timestamps) {
        this.out = out;
        this.maxLength = maxLength;
        this.timestamps = timestamps;
    }

    /** Prints to standard output, whole values, without timestamps. */
    public static <T> ConsoleSink<T> create() {
        return new ConsoleSink<>(System.out, Integer.MAX_VALUE, false);
    }

    /** The same, printing to {@code out}. */
    public ConsoleSink<T> to(PrintStream out) {
        if (out == null) {
            throw new IllegalArgumentException("a console sink needs a stream to print to");
        }
        return new ConsoleSink<>(out, maxLength, timestamps);
    }

    /** Cuts printed values to {@code maxLength} characters, ending a cut one with "...". */
    public ConsoleSink<T> truncate(int maxLength) {
        if (maxLength < 4) {
            throw new IllegalArgumentException("truncate to at least 4 characters (room for \"...\"), got " + maxLength);
        }
        return new ConsoleSink<>(out, maxLength, timestamps);
    }

    /** Prefixes each line with the record's timestamp: {@code [1700000000000] value}. */
    public ConsoleSink<T> withTimestamps() {
        return new ConsoleSink<>(out, maxLength, true);
    }

    @Override
    public void write(T value, long timestamp) {
        String text = String.valueOf(value);
        if (text.length() > maxLength) {
            text = text.substring(0, maxLength - 3) + "...";
        }
        out.println(timestamps ? "[" + timestamp + "] " + text : text);
    }

    @Override
    public void flush() {
        out.flush();
    }
}
