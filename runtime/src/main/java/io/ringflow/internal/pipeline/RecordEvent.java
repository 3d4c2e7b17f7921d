package io.ringflow.internal.pipeline;

/**
 * One pre-allocated ring-buffer slot, filled in place by the publisher and read in place by
 * the shard's consumer. Primitive fields, no per-record allocation.
 */
final class RecordEvent {

    static final byte RECORD = 0;
    /** One input of the shard has no more records. */
    static final byte END_OF_INPUT = 1;

    byte kind;
    /** Which inbound edge of the stage the record arrived by. */
    int entry;
    Object key;
    Object value;
    long timestamp;
    /** {@code System.nanoTime()} when the source emitted the record. */
    long ingestNanos;
}
