package io.ringflow.internal.pipeline;

import io.ringflow.error.ErrorHandler;
import io.ringflow.internal.checkpoint.CheckpointedWatermarks;
import io.ringflow.internal.graph.SourceNode;
import io.ringflow.internal.metrics.PipelineMetrics;
import io.ringflow.internal.operator.EventTimes;
import io.ringflow.watermark.SplitWatermarks;
import io.ringflow.watermark.WatermarkStrategy;
import io.ringflow.watermark.Watermarks;
import java.util.Arrays;

/**
 * A source reader's event time: gives each record its time, keeps one watermark generator per
 * split (the reader's watermark is their minimum), notices when the reader has gone idle, and
 * knows the state partition of each split's records. {@link #observe} runs on the reader's
 * thread for every record and allocates nothing; {@link #shouldAnnounceIdle} runs on the timer's.
 */
final class ReaderEventTime {

    /** {@code null} when the source has no watermark strategy. */
    private final WatermarkStrategy<Object> watermarks;
    /** One watermark generator per split; {@code null} when the source has no watermark strategy. */
    private final SplitWatermarks splits;
    private final boolean tracksIdleness;
    /** Assigns event time, routing records it cannot to the error handler; {@code null} without a watermark strategy. */
    private final EventTimes eventTimes;
    /** The event time {@link #observe} gave the record being emitted. */
    private long observedTime;
    /** Wall-clock time of the last emit, read by the pipeline's timer to find idle readers. */
    private volatile long lastEmitMillis = System.currentTimeMillis();
    /** Whether the timer has told the shard this reader is idle; the next emit undoes it. */
    private volatile boolean idleAnnounced;
    /** The state partition of each split's records (0 for splits registered without one). */
    private int[] splitPartitions = new int[0];
    /** Each state partition keeps its own event time (shared checkpoints): records carry their split's watermark. */
    private boolean partitioned;

    ReaderEventTime(SourceNode node, int reader, ErrorHandler errorHandler, PipelineMetrics metrics) {
        this.watermarks = node.watermarks();
        this.splits = watermarks == null ? null : new SplitWatermarks(watermarks);
        this.eventTimes = watermarks == null ? null
                : new EventTimes(watermarks, node.name(), reader, errorHandler, metrics);
        this.tracksIdleness = watermarks != null && watermarks.idlenessMillis() > 0;
    }

    /** Set before the reader starts, when state partitions keep their own event time. */
    void partitioned(boolean partitioned) {
        this.partitioned = partitioned;
    }

    /**
     * Gives the record its event time ({@link #eventTime()}) and advances the split's watermark
     * with it; or, when the timestamp extractor throws or the strategy refuses the time, hands
     * the record to the error handler and returns {@code false}.
     *
     * @throws io.ringflow.error.RecordProcessingException when the error handler fails the record
     */
    boolean observe(Object value, long timestamp, int split) {
        if (splits == null) {
            observedTime = timestamp;
            return true;
        }
        long now = tracksIdleness || eventTimes.guarded() ? System.currentTimeMillis() : 0L;
        if (!eventTimes.assign(value, timestamp, now)) {
            return false;
        }
        long eventTime = eventTimes.eventTime();
        observedTime = eventTime;
        if (!tracksIdleness) {
            now = 0L;
        } else {
            lastEmitMillis = now;
            if (idleAnnounced) {
                idleAnnounced = false; // this record makes the input active again at the shard
            }
        }
        splits.onRecord(split, eventTime, now);
        return true;
    }

    /** The event time {@link #observe} gave the last record. */
    long eventTime() {
        return observedTime;
    }

    /** The reader's watermark: the minimum over its splits. */
    long current() {
        return splits == null ? Watermarks.NONE : splits.current();
    }

    /** The state partition of split {@code split}'s records. */
    int partitionOf(int split) {
        return split < splitPartitions.length ? splitPartitions[split] : 0;
    }

    /** The record's partition's own watermark, which only partitioned event time (shared checkpoints) reads. */
    long splitWatermark(int split) {
        return !partitioned || splits == null ? Watermarks.NONE : splits.of(split);
    }

    void addSplit(int split) {
        if (splits != null) {
            splits.add(split, System.currentTimeMillis());
        }
    }

    void addSplit(int split, int partition) {
        if (partition < 0) {
            throw new IllegalArgumentException("a state partition is >= 0, got " + partition);
        }
        if (split >= splitPartitions.length) {
            splitPartitions = Arrays.copyOf(splitPartitions, Math.max(split + 1, splitPartitions.length * 2));
        }
        splitPartitions[split] = partition;
        addSplit(split);
    }

    void removeSplit(int split) {
        if (splits != null) {
            splits.remove(split);
        }
    }

    /**
     * On the timer's thread: whether the reader has emitted nothing for its idleness timeout
     * and its shard has not been told yet. Call {@link #idleAnnounced()} once the shard is.
     */
    boolean shouldAnnounceIdle(long nowMillis) {
        return tracksIdleness && !idleAnnounced && nowMillis - lastEmitMillis >= watermarks.idlenessMillis();
    }

    void idleAnnounced() {
        idleAnnounced = true;
    }

    /**
     * With partitioned event time, each of this reader's partitions' watermark, for a checkpoint
     * to keep beside the position; otherwise {@code null}. Called on the reader's thread, or once
     * it has ended.
     */
    byte[] partitionWatermarks() {
        if (!partitioned || splits == null) {
            return null;
        }
        int[] partitions = new int[splitPartitions.length];
        long[] watermarks = new long[splitPartitions.length];
        int count = 0;
        for (int split = 0; split < splitPartitions.length; split++) {
            long watermark = splits.of(split);
            if (watermark != Watermarks.NONE) {
                partitions[count] = splitPartitions[split];
                watermarks[count++] = watermark;
            }
        }
        return CheckpointedWatermarks.encode(partitions, watermarks, count);
    }
}
