package io.ringflow.internal.operator;

import io.ringflow.watermark.Watermarks;

/**
 * What a shard's thread knows about time that operators do not pass along with each record:
 * the shard's watermark (the minimum over its inputs) and the ingest time of the record being
 * processed, carried across exchanges so end-to-end latency is measured from the source.
 * Written and read by the shard's own thread only.
 */
public final class ShardClock {
    public long watermark = Watermarks.NONE;
    public long ingestNanos;
}
