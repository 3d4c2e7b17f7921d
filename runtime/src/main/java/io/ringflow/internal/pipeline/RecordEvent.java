package io.ringflow.internal.pipeline;

/**
 * One pre-allocated ring-buffer slot, filled in place by the publisher and read in place by
 * the shard's consumer. Primitive fields, no per-record allocation.
 */
final class RecordEvent {

    static final byte RECORD = 0;
    /** One input of the shard has no more records; {@link #watermark} is its last watermark. */
    static final byte END_OF_INPUT = 1;
    /** One input's watermark advanced, with no record to carry it. */
    static final byte WATERMARK = 2;
    /** One input has gone idle: it stops holding the watermark back until it sends again. */
    static final byte IDLE = 3;
    /** Processing time passed: wakes the shard for its processing-time triggers. */
    static final byte TICK = 4;
    /** A source's position mark ({@link #value} is the {@code PositionMark}): everything before it is processed. */
    static final byte MARK = 5;
    /** A checkpoint barrier ({@link #value} is the pending checkpoint): this input's records before it are in the checkpoint. */
    static final byte BARRIER = 6;
    /** Keyed state partitions move ({@link #value} is the {@code PartitionChange}): dropped or taken over. */
    static final byte PARTITIONS = 7;
    /** Partitioned event time: state partition {@link #partition}'s watermark at the sender is {@link #partitionWatermark}. */
    static final byte PARTITION_WATERMARK = 8;

    byte kind;
    /** Which inbound edge of the stage the record arrived by. */
    int entry;
    /** Which of the shard's inputs (a source reader, an upstream shard) sent it. */
    int input;
    /** The sender's watermark after this event: records carry watermarks in-band. */
    long watermark;
    /**
     * A record's source reader's watermark just after it, unchanged across every exchange: its
     * lateness is judged by it, so it depends on the input alone, not on which shard's watermark
     * happened to have caught up when the record arrived.
     */
    long sourceWatermark;
    Object key;
    Object value;
    long timestamp;
    /** The state partition the record belongs to (its source partition); 0 for unpartitioned sources. */
    int partition;
    /** The watermark of the record's partition alone: partitioned event time (shared checkpoints) closes windows on it. */
    long partitionWatermark;
    /** {@code System.nanoTime()} when the source emitted the record. */
    long ingestNanos;
}
