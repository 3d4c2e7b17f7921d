package io.ringflow.internal.pipeline;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.WaitStrategy;
import io.ringflow.PipelineConfig;
import io.ringflow.internal.plan.Edge;
import io.ringflow.internal.plan.Stage;
import io.ringflow.internal.plan.StagePlan;
import java.util.ArrayList;
import java.util.List;

/**
 * Every shard's input, by stage then shard, each behind the one publisher every producer into
 * it uses: a ring buffer of {@code ringSize} slots allocated once, at construction, or, for a
 * shard whose chain runs on its one reader's thread ({@link ReaderLayout#chained}), the
 * {@link ChainedSlots} that hand events straight to its chain.
 */
final class ShardRings {

    private final RingPublisher[][] publishers;
    /** By stage, then shard: the ring, or {@code null} for a chained shard. */
    private final RingSlots[][] rings;
    /** By stage, then shard: the chained input, or {@code null} for a shard with a ring. */
    private final ChainedSlots[][] chained;

    /**
     * @param withTimer whether a timer thread publishes ticks into every ring, so no ring has a
     *                  single producer
     */
    ShardRings(StagePlan plan, PipelineConfig config, ReaderLayout layout, boolean withTimer, RunState runState) {
        int stages = plan.stages().size();
        this.publishers = new RingPublisher[stages][config.parallelism()];
        this.rings = new RingSlots[stages][config.parallelism()];
        this.chained = new ChainedSlots[stages][config.parallelism()];
        for (Stage stage : plan.stages()) {
            for (int shard = 0; shard < config.parallelism(); shard++) {
                EventSlots slots;
                if (layout.chained(stage.id(), shard)) {
                    slots = chained[stage.id()][shard] = new ChainedSlots(config.ringSize());
                } else {
                    int producers = layout.inputs(stage.id(), shard);
                    slots = rings[stage.id()][shard] = new RingSlots(newRing(config, producers, withTimer), runState);
                }
                publishers[stage.id()][shard] = new RingPublisher(slots, runState);
            }
        }
        for (Stage stage : plan.stages()) {
            for (int shard = 0; shard < config.parallelism(); shard++) {
                if (chained[stage.id()][shard] != null) {
                    chained[stage.id()][shard].feeds(ringsFedBy(plan, stage, shard));
                }
            }
        }
    }

    /**
     * The rings the chain of shard {@code shard} of {@code stage} publishes into: every shard of
     * a hash edge's target, the same shard of a forward edge's.
     */
    private List<RingSlots> ringsFedBy(StagePlan plan, Stage stage, int shard) {
        List<RingSlots> fed = new ArrayList<>();
        for (Stage target : plan.stages()) {
            for (Edge edge : target.inbound()) {
                if (edge.routing() == Edge.Routing.SOURCE || plan.stageOf(edge.from()) != stage) {
                    continue;
                }
                if (edge.routing().fromEveryShard()) {
                    fed.addAll(List.of(rings[target.id()]));
                } else {
                    fed.add(rings[target.id()][shard]);
                }
            }
        }
        return fed;
    }

    /** The ring of shard {@code shard} of stage {@code stage}; {@code null} if the shard is chained to its reader. */
    RingBuffer<RecordEvent> ring(int stage, int shard) {
        RingSlots slots = rings[stage][shard];
        return slots == null ? null : slots.ring();
    }

    /** The input of shard {@code shard} of stage {@code stage} if it is chained to its reader; else {@code null}. */
    ChainedSlots chained(int stage, int shard) {
        return chained[stage][shard];
    }

    /**
     * A ring with one producer thread skips the multi-producer CAS on every publish; the timer
     * thread, when there is one, publishes into every ring.
     */
    private static RingBuffer<RecordEvent> newRing(PipelineConfig config, int producers, boolean withTimer) {
        WaitStrategy waitStrategy = WaitStrategies.create(config.waitStrategy());
        return producers <= 1 && !withTimer
                ? RingBuffer.createSingleProducer(RecordEvent::new, config.ringSize(), waitStrategy)
                : RingBuffer.createMultiProducer(RecordEvent::new, config.ringSize(), waitStrategy);
    }

    /** The publisher into shard {@code shard} of stage {@code stage}. */
    RingPublisher publisher(int stage, int shard) {
        return publishers[stage][shard];
    }

    /** The publishers into every shard of stage {@code stage}, by shard; shared, not copied. */
    RingPublisher[] stage(int stage) {
        return publishers[stage];
    }

    /** Every publisher, for the timer's ticks. */
    List<RingPublisher> all() {
        List<RingPublisher> all = new ArrayList<>();
        for (RingPublisher[] stage : publishers) {
            all.addAll(List.of(stage));
        }
        return all;
    }

    /** Free slots in each shard's ring buffer, by stage then shard. */
    long[][] remainingCapacity() {
        long[][] remaining = new long[publishers.length][];
        for (int stage = 0; stage < publishers.length; stage++) {
            remaining[stage] = new long[publishers[stage].length];
            for (int shard = 0; shard < publishers[stage].length; shard++) {
                remaining[stage][shard] = publishers[stage][shard].remainingCapacity();
            }
        }
        return remaining;
    }
}
