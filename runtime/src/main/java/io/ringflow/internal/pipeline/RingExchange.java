package io.ringflow.internal.pipeline;

import io.ringflow.internal.operator.Exchange;
import io.ringflow.internal.operator.PositionMark;
import io.ringflow.internal.operator.ShardClock;
import io.ringflow.internal.plan.Edge;
import io.ringflow.internal.plan.KeyRouting;

/**
 * One upstream shard's side of an edge into a later stage's ring buffers: by key hash to
 * the shard that owns the key, forward to the shard with the same index, or to every shard
 * (broadcast: a global table's input).
 */
final class RingExchange implements Exchange {

    private final RingPublisher[] targets;
    /** Every shard this upstream shard can reach: all targets by hash, or its one forward target. */
    private final RingPublisher[] reached;
    private final int entry;
    private final int forwardShard;
    private final boolean broadcast;
    /** This upstream shard's input index at every downstream shard it reaches. */
    private final int input;
    private final ShardClock clock;

    private RingExchange(RingPublisher[] targets, int entry, int forwardShard, boolean broadcast, int input,
                         ShardClock clock) {
        this.targets = targets;
        this.reached = forwardShard >= 0 ? new RingPublisher[] {targets[forwardShard]} : targets;
        this.entry = entry;
        this.forwardShard = forwardShard;
        this.broadcast = broadcast;
        this.input = input;
        this.clock = clock;
    }

    /**
     * @param firstInput the input index at the target shards of this edge's first producer:
     *                   a hash or broadcast edge's upstream shard u is input {@code firstInput + u}, a
     *                   forward edge's producer is input {@code firstInput}
     */
    static RingExchange of(Edge edge, int upstreamShard, int firstInput, RingPublisher[] targets, ShardClock clock) {
        boolean forward = edge.routing() == Edge.Routing.FORWARD;
        return new RingExchange(targets, edge.entry(), forward ? upstreamShard : -1,
                edge.routing() == Edge.Routing.BROADCAST,
                forward ? firstInput : firstInput + upstreamShard, clock);
    }

    @Override
    public void send(Object key, Object value, long timestamp) {
        if (broadcast) {
            for (int shard = 0; shard < targets.length; shard++) {
                publish(shard, key, value, timestamp);
            }
            return;
        }
        publish(forwardShard >= 0 ? forwardShard : KeyRouting.shardOf(key, targets.length), key, value, timestamp);
    }

    private void publish(int shard, Object key, Object value, long timestamp) {
        // A result emitted on a watermark rather than a record carries this shard's watermark.
        targets[shard].publishRecord(entry, input, key, value, timestamp, clock.ingestNanos, clock.outgoingWatermark,
                Math.max(clock.recordWatermark, clock.outgoingWatermark), clock.partition, clock.partitionWatermark);
    }

    @Override
    public void broadcastWatermark(long watermark) {
        for (RingPublisher target : reached) {
            target.publishWatermark(input, watermark);
        }
    }

    @Override
    public void broadcastPartitionWatermark(int partition, long watermark) {
        for (RingPublisher target : reached) {
            target.publishPartitionWatermark(input, partition, watermark);
        }
    }

    @Override
    public void broadcastIdle() {
        for (RingPublisher target : reached) {
            target.publishIdle(input);
        }
    }

    @Override
    public void endOfInput(long watermark) {
        for (RingPublisher target : reached) {
            target.publishEndOfInput(input, watermark);
        }
    }

    @Override
    public int reach() {
        return reached.length;
    }

    @Override
    public void broadcastMark(PositionMark mark) {
        for (RingPublisher target : reached) {
            target.publishMark(input, mark);
        }
    }

    @Override
    public void broadcastBarrier(Object barrier) {
        for (RingPublisher target : reached) {
            target.publishBarrier(input, barrier);
        }
    }

    @Override
    public void broadcastPartitions(Object change) {
        for (RingPublisher target : reached) {
            target.publishPartitions(input, change);
        }
    }
}
