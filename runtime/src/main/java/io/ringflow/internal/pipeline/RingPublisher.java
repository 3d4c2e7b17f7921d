package io.ringflow.internal.pipeline;

import io.ringflow.internal.PipelineAbortedException;
import io.ringflow.internal.operator.PositionMark;

/**
 * Publishes every kind of event into one shard: into its ring buffer, or straight into its
 * chain when the chain runs on the publishing reader's thread ({@link EventSlots}). A full
 * ring blocks the caller (backpressure) until the consumer frees a slot, unless the pipeline
 * fails meanwhile: then the caller is unwound with {@link PipelineAbortedException}.
 */
final class RingPublisher {

    private final EventSlots ring;
    private final RunState runState;

    RingPublisher(EventSlots slots, RunState runState) {
        this.ring = slots;
        this.runState = runState;
    }

    void publishRecord(int entry, int input, Object key, Object value, long timestamp, long ingestNanos,
                       long watermark, long sourceWatermark, int partition, long partitionWatermark) {
        long sequence = claim();
        fillRecord(ring.get(sequence), entry, input, key, value, timestamp, ingestNanos, watermark, sourceWatermark,
                partition, partitionWatermark);
        ring.publish(sequence);
    }

    /**
     * Claims a slot only if one is free now.
     *
     * @return whether the record was published
     */
    boolean tryPublishRecord(int entry, int input, Object value, long timestamp, long ingestNanos, long watermark,
                             long sourceWatermark, int partition, long partitionWatermark) {
        if (runState.isAborted()) {
            throw new PipelineAbortedException();
        }
        long sequence = ring.tryNext();
        if (sequence < 0) {
            return false;
        }
        fillRecord(ring.get(sequence), entry, input, null, value, timestamp, ingestNanos, watermark, sourceWatermark,
                partition, partitionWatermark);
        ring.publish(sequence);
        return true;
    }

    private static void fillRecord(RecordEvent event, int entry, int input, Object key, Object value, long timestamp,
                                   long ingestNanos, long watermark, long sourceWatermark, int partition,
                                   long partitionWatermark) {
        event.kind = RecordEvent.RECORD;
        event.sourceWatermark = sourceWatermark;
        event.partition = partition;
        event.partitionWatermark = partitionWatermark;
        event.entry = entry;
        event.input = input;
        event.key = key;
        event.value = value;
        event.timestamp = timestamp;
        event.ingestNanos = ingestNanos;
        event.watermark = watermark;
    }

    void publishMark(int input, PositionMark mark) {
        long sequence = claim();
        RecordEvent event = ring.get(sequence);
        fillControl(event, RecordEvent.MARK, input, Long.MIN_VALUE);
        event.value = mark;
        ring.publish(sequence);
    }

    void publishBarrier(int input, Object barrier) {
        publishWithValue(RecordEvent.BARRIER, input, barrier);
    }

    void publishPartitions(int input, Object change) {
        publishWithValue(RecordEvent.PARTITIONS, input, change);
    }

    private void publishWithValue(byte kind, int input, Object value) {
        long sequence = claim();
        RecordEvent event = ring.get(sequence);
        fillControl(event, kind, input, Long.MIN_VALUE);
        event.value = value;
        ring.publish(sequence);
    }

    void publishEndOfInput(int input, long watermark) {
        publishControl(RecordEvent.END_OF_INPUT, input, watermark);
    }

    void publishWatermark(int input, long watermark) {
        publishControl(RecordEvent.WATERMARK, input, watermark);
    }

    void publishPartitionWatermark(int input, int partition, long partitionWatermark) {
        long sequence = claim();
        RecordEvent event = ring.get(sequence);
        fillControl(event, RecordEvent.PARTITION_WATERMARK, input, Long.MIN_VALUE);
        event.partition = partition;
        event.partitionWatermark = partitionWatermark;
        ring.publish(sequence);
    }

    void publishIdle(int input) {
        publishControl(RecordEvent.IDLE, input, Long.MIN_VALUE);
    }

    /**
     * Publishes a control event only if a slot is free now: for the timer thread, which must
     * never wait on a shard that has already finished.
     *
     * @return whether it was published
     */
    boolean tryPublish(byte kind, int input) {
        long sequence = ring.tryNext();
        if (sequence < 0) {
            return false;
        }
        fillControl(ring.get(sequence), kind, input, Long.MIN_VALUE);
        ring.publish(sequence);
        return true;
    }

    private void publishControl(byte kind, int input, long watermark) {
        long sequence = claim();
        fillControl(ring.get(sequence), kind, input, watermark);
        ring.publish(sequence);
    }

    private static void fillControl(RecordEvent event, byte kind, int input, long watermark) {
        event.kind = kind;
        event.entry = -1;
        event.input = input;
        event.key = null;
        event.value = null;
        event.watermark = watermark;
    }

    /** Slots still free: how far the consumer is from making publishers wait. */
    long remainingCapacity() {
        return ring.remainingCapacity();
    }

    private long claim() {
        return ring.next();
    }
}
