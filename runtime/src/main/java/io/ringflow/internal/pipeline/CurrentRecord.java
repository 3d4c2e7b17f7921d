package io.ringflow.internal.pipeline;

/**
 * What a shard's thread knows about the record it is processing that operators do not pass
 * along: its ingest time, carried across exchanges so that end-to-end latency is measured
 * from the source. Written and read by the shard's own thread only.
 */
final class CurrentRecord {
    long ingestNanos;
}
