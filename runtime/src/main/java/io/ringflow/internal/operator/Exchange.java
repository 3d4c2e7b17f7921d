package io.ringflow.internal.operator;

/**
 * The edge from one stage to the next, seen from one upstream shard: the pipeline publishes
 * into the owning shard's ring buffer; the test driver calls the next stage directly.
 */
public interface Exchange {

    /**
     * Sends a record to the downstream shard chosen by this edge's routing, carrying this
     * shard's current watermark.
     */
    void send(Object key, Object value, long timestamp);

    /** Tells every downstream shard this edge reaches this shard's watermark, without a record. */
    void broadcastWatermark(long watermark);

    /**
     * Partitioned event time: tells every downstream shard this edge reaches how far state
     * partition {@code partition} has got here, so its windows close there too, whichever keys
     * of it a shard holds.
     */
    void broadcastPartitionWatermark(int partition, long watermark);

    /** Tells every downstream shard this edge reaches that all of this shard's inputs are idle. */
    void broadcastIdle();

    /**
     * Tells every downstream shard this edge reaches that this upstream shard has no more input,
     * and its final watermark.
     */
    void endOfInput(long watermark);

    /** How many downstream shards {@link #broadcastMark} reaches. */
    int reach();

    /** Sends a source's position mark to every downstream shard this edge reaches. */
    void broadcastMark(PositionMark mark);

    /** Sends a checkpoint barrier to every downstream shard this edge reaches. */
    void broadcastBarrier(Object barrier);

    /** Sends a change of the instance's keyed state partitions to every downstream shard this edge reaches. */
    void broadcastPartitions(Object change);
}
