package io.ringflow.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** logAndContinue logs the first failures in full, then at most one line per interval saying how many it skipped. */
class LogAndContinueTest {

    private record Line(String message, Throwable stackTrace) {
    }

    private final List<Line> lines = new ArrayList<>();
    private long now = 123_456_789L;

    private final LoggingErrorHandler handler = new LoggingErrorHandler(2, TimeUnit.SECONDS.toNanos(10), "10 s",
            () -> now, (message, stackTrace) -> lines.add(new Line(message, stackTrace)));

    private final List<FailedRecord> records = new ArrayList<>();

    private void fail(int value, long atMillis) {
        now = 123_456_789L + TimeUnit.MILLISECONDS.toNanos(atMillis);
        FailedRecord record = new FailedRecord("parse", "map", 0, null, value, 0L,
                new NumberFormatException("bad " + value));
        records.add(record);
        handler.handle(record);
    }

    private static String described(int value) {
        return "skipping record: map 'parse' (shard 0) failed on record key=null, value=" + value
                + ", timestamp=0: java.lang.NumberFormatException: bad " + value;
    }

    @Test
    void logAndContinueLogsTheFirstFailuresWithStackTracesThenOneLinePerIntervalCountingTheSkipped() {
        for (int i = 1; i <= 5; i++) {
            fail(i, 0);
        }
        fail(6, 5_000);
        fail(7, 10_000);
        fail(8, 15_000);
        fail(9, 19_999);
        fail(10, 20_000);

        assertEquals(List.of(
                described(1),
                described(2) + " (that makes 2 failed records logged with stack traces; from now on at most one"
                        + " line per 10 s, without a stack trace; the ringflow.errors meter counts every failed record)",
                described(7) + " (4 more failed records skipped without a log line since the last one; failed"
                        + " records so far: 7)",
                described(10) + " (2 more failed records skipped without a log line since the last one; failed"
                        + " records so far: 10)"), lines.stream().map(Line::message).toList());
        assertSame(records.get(0).cause(), lines.get(0).stackTrace());
        assertSame(records.get(1).cause(), lines.get(1).stackTrace());
        assertNull(lines.get(2).stackTrace());
        assertNull(lines.get(3).stackTrace());
        assertEquals("logged", handler.outcome());
    }

    @Test
    void logAndContinueWithoutStackTracesLogsTheFirstFailureAtOnce() {
        LoggingErrorHandler quiet = new LoggingErrorHandler(0, TimeUnit.SECONDS.toNanos(1), "1 s", () -> -5L,
                (message, stackTrace) -> lines.add(new Line(message, stackTrace)));
        quiet.handle(new FailedRecord("parse", "map", 0, null, 1, 0L, new NumberFormatException("bad 1")));
        quiet.handle(new FailedRecord("parse", "map", 0, null, 2, 0L, new NumberFormatException("bad 2")));
        assertEquals(List.of(described(1) + " (0 more failed records skipped without a log line since the last one;"
                + " failed records so far: 1)"), lines.stream().map(Line::message).toList());
    }
}
