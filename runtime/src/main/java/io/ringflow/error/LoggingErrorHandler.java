package io.ringflow.error;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * {@link ErrorHandler#logAndContinue}: logs the first failures in full, then at most one line
 * per interval, so a stream of bad records cannot flood the log. Thread-safe.
 */
final class LoggingErrorHandler implements ErrorHandler {

    /** Where the lines go: a WARN logger in production, a list in tests. */
    interface Log {
        /** One WARN line; {@code stackTrace} is {@code null} for a line without one. */
        void warn(String message, Throwable stackTrace);
    }

    private final int withStackTraces;
    private final long intervalNanos;
    private final String interval;
    private final LongSupplier nanoClock;
    private final Log log;

    private long failures;
    private long skippedSinceLastLine;
    private long lastLineNanos;
    private boolean anyLine;

    LoggingErrorHandler(int withStackTraces, long intervalNanos, String interval, LongSupplier nanoClock, Log log) {
        this.withStackTraces = withStackTraces;
        this.intervalNanos = intervalNanos;
        this.interval = interval;
        this.nanoClock = nanoClock;
        this.log = log;
    }

    @Override
    public void handle(FailedRecord record) {
        long now = nanoClock.getAsLong();
        long number;
        long skipped;
        synchronized (this) {
            number = ++failures;
            if (number > withStackTraces && anyLine && now - lastLineNanos < intervalNanos) {
                skippedSinceLastLine++;
                return;
            }
            skipped = skippedSinceLastLine;
            skippedSinceLastLine = 0;
            lastLineNanos = now;
            anyLine = true;
        }
        if (number < withStackTraces) {
            log.warn("skipping record: " + record.describe(), record.cause());
        } else if (number == withStackTraces) {
            log.warn("skipping record: " + record.describe() + " (that makes " + withStackTraces + " failed records"
                    + " logged with stack traces; from now on at most one line per " + interval + ", without a stack"
                    + " trace; the ringflow.errors meter counts every failed record)", record.cause());
        } else {
            log.warn("skipping record: " + record.describe() + " (" + skipped + " more failed records skipped without"
                    + " a log line since the last one; failed records so far: " + number + ")", null);
        }
    }

    @Override
    public String outcome() {
        return "logged";
    }

    /** {@code 10 s}, {@code 500 ms}: for log lines. */
    static String format(long nanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
