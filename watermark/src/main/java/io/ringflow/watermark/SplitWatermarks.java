package io.ringflow.watermark;

import java.util.Arrays;

/**
 * The watermark of one source reader that reads several splits (Kafka partitions): one
 * generator per split, and the reader's watermark is the minimum over the registered splits
 * that are not idle. Like {@link WatermarkTracker}, it never goes back.
 *
 * <p>Splits are small indexes; arrays grow to the largest one. One thread; no allocation per
 * record once every split is registered. Cost per record: one generator update and one scan
 * over the reader's splits (a handful of partitions).
 */
public final class SplitWatermarks {

    private final WatermarkStrategy<?> strategy;
    private final long idlenessMillis;
    private WatermarkGenerator[] generators = new WatermarkGenerator[0];
    private long[] lastRecordMillis = new long[0];
    private long current = Watermarks.NONE;

    public SplitWatermarks(WatermarkStrategy<?> strategy) {
        this.strategy = strategy;
        this.idlenessMillis = strategy.idlenessMillis();
    }

    /** Registers a split (no-op if it is); an empty split counts as active from {@code nowMillis}. */
    public void add(int split, long nowMillis) {
        if (split < 0) {
            throw new IllegalArgumentException("split index must be >= 0, got " + split);
        }
        if (split >= generators.length) {
            int size = Math.max(split + 1, generators.length * 2);
            generators = Arrays.copyOf(generators, size);
            lastRecordMillis = Arrays.copyOf(lastRecordMillis, size);
        }
        if (generators[split] == null) {
            generators[split] = strategy.createGenerator();
            lastRecordMillis[split] = nowMillis;
        }
    }

    /** Forgets a split: it no longer holds the watermark back. */
    public void remove(int split) {
        if (split < generators.length) {
            generators[split] = null;
        }
    }

    /**
     * Takes a record of {@code split} with event time {@code timestamp}.
     *
     * @param nowMillis processing time, only read when the strategy has an idleness timeout
     * @return the reader's watermark after the record
     */
    public long onRecord(int split, long timestamp, long nowMillis) {
        if (split >= generators.length || generators[split] == null) {
            add(split, nowMillis);
        }
        generators[split].onRecord(timestamp, nowMillis);
        lastRecordMillis[split] = nowMillis;
        return recompute(nowMillis);
    }

    /** The watermark now, re-judging idleness at {@code nowMillis}. */
    public long current(long nowMillis) {
        return recompute(nowMillis);
    }

    /**
     * Split {@code split}'s own watermark: how far its records alone have got in event time
     * ({@link Watermarks#NONE} for a split not registered).
     */
    public long of(int split) {
        return split < generators.length && generators[split] != null ? generators[split].currentWatermark()
                : Watermarks.NONE;
    }

    /** The watermark as of the last record, without re-judging idleness. */
    public long current() {
        return current;
    }

    private long recompute(long nowMillis) {
        long min = Long.MAX_VALUE;
        long max = Watermarks.NONE;
        boolean anyActive = false;
        for (int i = 0; i < generators.length; i++) {
            WatermarkGenerator generator = generators[i];
            if (generator == null) {
                continue;
            }
            long watermark = generator.currentWatermark();
            max = Math.max(max, watermark);
            if (idlenessMillis == 0 || nowMillis - lastRecordMillis[i] < idlenessMillis) {
                anyActive = true;
                min = Math.min(min, watermark);
            }
        }
        long next = anyActive ? min : max;
        if (next > current) {
            current = next;
        }
        return current;
    }
}
