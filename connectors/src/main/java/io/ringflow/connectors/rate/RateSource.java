package io.ringflow.connectors.rate;

import io.ringflow.Source;
import io.ringflow.SourceContext;
import java.nio.ByteBuffer;
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
 *
 * <p>With checkpoints on, every checkpoint records the sequence number of the next row, and a
 * pipeline restored from it goes on from there: each sequence number is emitted once across a
 * stop or a crash, and {@link #limit} counts the rows of every run (a restart after the last
 * row emits nothing). Due times start again from the restart's clock: the rows the pipeline was
 * down for are not made up in a burst. Cost: 9 bytes per checkpoint; nothing without
 * checkpoints.
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
        long first = 0;
        Progress progress = null;
        if (context.checkpointing()) {
            first = context.restoredPosition().map(RateSource::restoredNext).orElse(0L);
            progress = new Progress(first);
            context.positionForCheckpoints(progress::encode);
        }
        long next = first;
        while (next < limit && context.isRunning()) {
            long due = startNanos + (next - first) * periodNanos;
            long now = System.nanoTime();
            if (due > now) {
                LockSupport.parkNanos(due - now);
                continue;
            }
            long timestamp = startMillis + TimeUnit.NANOSECONDS.toMillis(due - startNanos);
            context.emit(new Row(timestamp, next), timestamp);
            next++;
            if (progress != null) {
                progress.next = next; // only once emitted: a checkpoint inside emit describes the rows before it
            }
        }
    }

    /** Leading byte of a checkpointed position; a new layout gets a new one. */
    private static final byte POSITION_FORMAT = 1;

    /** With checkpoints: the sequence number of the next row. */
    private static final class Progress {
        long next;

        Progress(long next) {
            this.next = next;
        }

        byte[] encode(long checkpointId) {
            return ByteBuffer.allocate(9).put(POSITION_FORMAT).putLong(next).array();
        }
    }

    private static long restoredNext(byte[] bytes) {
        long next = bytes.length == 9 && bytes[0] == POSITION_FORMAT ? ByteBuffer.wrap(bytes, 1, 8).getLong() : -1;
        if (next < 0) {
            throw new IllegalStateException("rate source: the restored checkpoint holds no position this source can"
                    + " read (" + bytes.length + " bytes" + (bytes.length > 0 ? ", format " + bytes[0] : "") + "): it"
                    + " was taken by another source under this name, or before rate sources recorded positions, and"
                    + " starting over would emit its sequence numbers twice; start on a fresh state directory");
        }
        return next;
    }
}
