package io.ringflow.watermark;

import java.util.Arrays;

/**
 * The watermark of something with several inputs (a shard fed by upstream shards, a source
 * with several partitions): the minimum over the inputs that are not idle. It never goes
 * back, even when an idle input returns with an older watermark: what has been declared
 * complete stays complete, and that input's older records are late. When every input is
 * idle the tracker is idle too, and its watermark is the largest of theirs.
 *
 * <p>Primitive arrays, no allocation per update; one thread.
 */
public final class WatermarkTracker {

    private final long[] watermarks;
    private final boolean[] idle;
    private long current = Watermarks.NONE;

    public WatermarkTracker(int inputs) {
        if (inputs < 1) {
            throw new IllegalArgumentException("a watermark tracker needs at least one input, got " + inputs);
        }
        watermarks = new long[inputs];
        idle = new boolean[inputs];
        Arrays.fill(watermarks, Watermarks.NONE);
    }

    /**
     * Records input {@code input}'s watermark (an input's watermark never goes back; an older
     * value is ignored) and marks it active.
     *
     * @return whether the combined watermark advanced
     */
    public boolean update(int input, long watermark) {
        boolean wasIdle = idle[input];
        if (watermark <= watermarks[input] && !wasIdle) {
            return false; // nothing changed: the common case, one compare per record
        }
        if (watermark > watermarks[input]) {
            watermarks[input] = watermark;
        }
        idle[input] = false;
        return recompute();
    }

    /**
     * Marks input {@code input} idle: it stops holding the minimum back until its next
     * {@link #update}.
     *
     * @return whether the combined watermark advanced
     */
    public boolean markIdle(int input) {
        idle[input] = true;
        return recompute();
    }

    /**
     * Starts the combined watermark at {@code watermark} (after a restore: the watermark the
     * checkpoint recorded), so what was complete before stays complete. It moves on once every
     * input's watermark has passed it. Never moves the watermark back.
     */
    public void resumeAt(long watermark) {
        if (watermark > current) {
            current = watermark;
        }
    }

    /** The combined watermark; {@link Watermarks#NONE} until every active input has one. */
    public long current() {
        return current;
    }

    /** Whether every input is idle. */
    public boolean isIdle() {
        for (boolean i : idle) {
            if (!i) {
                return false;
            }
        }
        return true;
    }

    public int inputs() {
        return watermarks.length;
    }

    private boolean recompute() {
        long min = Long.MAX_VALUE;
        long max = Watermarks.NONE;
        boolean anyActive = false;
        for (int i = 0; i < watermarks.length; i++) {
            if (!idle[i]) {
                anyActive = true;
                min = Math.min(min, watermarks[i]);
            }
            max = Math.max(max, watermarks[i]);
        }
        long next = anyActive ? min : max;
        if (next > current) {
            current = next;
            return true;
        }
        return false;
    }
}
