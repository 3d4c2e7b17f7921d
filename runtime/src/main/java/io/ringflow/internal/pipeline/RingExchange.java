package io.ringflow.internal.pipeline;

import io.ringflow.internal.operator.Exchange;
import io.ringflow.internal.plan.Edge;
import io.ringflow.internal.plan.KeyRouting;

/**
 * One upstream shard's side of an edge into a later stage's ring buffers: by key hash to
 * the shard that owns the key, or forward to the shard with the same index.
 */
final class RingExchange implements Exchange {

    private final RingPublisher[] targets;
    private final int entry;
    private final int forwardShard;
    private final CurrentRecord current;

    private RingExchange(RingPublisher[] targets, int entry, int forwardShard, CurrentRecord current) {
        this.targets = targets;
        this.entry = entry;
        this.forwardShard = forwardShard;
        this.current = current;
    }

    static RingExchange of(Edge edge, int upstreamShard, RingPublisher[] targets, CurrentRecord current) {
        int forward = edge.routing() == Edge.Routing.FORWARD ? upstreamShard : -1;
        return new RingExchange(targets, edge.entry(), forward, current);
    }

    @Override
    public void send(Object key, Object value, long timestamp) {
        int shard = forwardShard >= 0 ? forwardShard : KeyRouting.shardOf(key, targets.length);
        targets[shard].publishRecord(entry, key, value, timestamp, current.ingestNanos);
    }

    @Override
    public void endOfInput() {
        if (forwardShard >= 0) {
            targets[forwardShard].publishEndOfInput();
        } else {
            for (RingPublisher target : targets) {
                target.publishEndOfInput();
            }
        }
    }
}
