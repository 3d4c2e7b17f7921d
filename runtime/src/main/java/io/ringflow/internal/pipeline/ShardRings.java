package io.ringflow.internal.pipeline;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.WaitStrategy;
import io.ringflow.PipelineConfig;
import io.ringflow.internal.plan.Stage;
import io.ringflow.internal.plan.StagePlan;
import java.util.ArrayList;
import java.util.List;

/**
 * Every shard's ring buffer, by stage then shard, each behind the one publisher every producer
 * into it uses. Allocated once, at construction: {@code ringSize} pre-allocated slots each.
 */
final class ShardRings {

    private final RingPublisher[][] publishers;

    /**
     * @param withTimer whether a timer thread publishes ticks into every ring, so no ring has a
     *                  single producer
     */
    ShardRings(StagePlan plan, PipelineConfig config, ReaderLayout layout, boolean withTimer, RunState runState) {
        this.publishers = new RingPublisher[plan.stages().size()][];
        for (Stage stage : plan.stages()) {
            publishers[stage.id()] = new RingPublisher[config.parallelism()];
            for (int shard = 0; shard < config.parallelism(); shard++) {
                int producers = layout.inputs(stage.id(), shard);
                publishers[stage.id()][shard] = new RingPublisher(newRing(config, producers, withTimer), runState);
            }
        }
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
