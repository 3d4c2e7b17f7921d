package io.ringflow.connectors.rate;

import io.ringflow.Source;
import io.ringflow.SourceContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Generates rows at a steady rate, like Spark's rate source: each row has the time it was
 * due (epoch milliseconds, also its event time) and a sequence number from 0. For demos and
 * load: rows are scheduled, not just emitted as fast as possible, so when the pipeline falls
 * behind the source catches up in a burst instead of quietly lowering the rate.
 *
 * <pre>{@code builder.source("ticks", RateSource.of(10_000))}</pre>
 *
 * Endless unless {@link #limit} is set. One reader; cost per row: one small allocation.
 */
public final class RateSource implements Source<RateSource.Row> {

    /** One generated row. */
    public record Row(long timestamp, long value) {
    }

    private final long rowsPerSecond;
    private final long limit;

    private RateSource(long rowsPerSecond, long limit) {
        this.rowsPerSecond = rowsPerSecond;
        this.limit = limit;
    }

    public static RateSource of(long rowsPerSecond) {
        if (rowsPerSecond < 1 || rowsPerSecond > 100_000_000) {
            throw new IllegalArgumentException("rows per second must be between 1 and 100,000,000, got " + rowsPerSecond);
        }
        return new RateSource(rowsPerSecond, Long.MAX_VALUE);
    }

    /** Stops after {@code rows} rows: a bounded input, which then completes the pipeline. */
    public RateSource limit(long rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("a limit is a number of rows >= 0, got " + rows);
        }
        return new RateSource(rowsPerSecond, rows);
    }

    @Override
    public void run(SourceContext<Row> context) {
        long startNanos = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / rowsPerSecond;
        long next = 0;
        while (next < limit && context.isRunning()) {
            long due = startNanos + next * periodNanos;
            long now = System.nanoTime();
            if (due > now) {
                LockSupport.parkNanos(due - now);
                continue;
            }
            long timestamp = startMillis + TimeUnit.NANOSECONDS.toMillis(due - startNanos);
            context.emit(new Row(timestamp, next), timestamp);
            next++;
        }
    }
}
