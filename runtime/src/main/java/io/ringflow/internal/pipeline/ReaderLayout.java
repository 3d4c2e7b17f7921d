package io.ringflow.internal.pipeline;

import io.ringflow.internal.graph.SourceNode;
import io.ringflow.internal.plan.Edge;
import io.ringflow.internal.plan.Stage;
import io.ringflow.internal.plan.StagePlan;

/**
 * Which shard each source reader feeds, and so how many producers end their input into each
 * shard of each stage and which input index each producer has there. Reader {@code g}
 * (counted over all sources, in plan order) feeds shard {@code g mod parallelism}.
 */
final class ReaderLayout {

    private final StagePlan plan;
    private final int parallelism;
    private final boolean chaining;
    /** By reader, counted over all sources: the first-stage shard it feeds. */
    private final int[] readerShards;
    /** By stage, then shard: how many producers end their input there. */
    private final int[][] inputs;

    /**
     * @param chaining whether a first-stage shard fed by one reader runs on that reader's thread
     *                 ({@code PipelineConfig.withSourceChaining})
     */
    ReaderLayout(StagePlan plan, int parallelism, boolean chaining) {
        this.plan = plan;
        this.parallelism = parallelism;
        this.chaining = chaining;
        int total = 0;
        for (SourceNode source : plan.sources()) {
            total += source.source().readers();
        }
        this.readerShards = new int[total];
        for (int g = 0; g < total; g++) {
            readerShards[g] = g % parallelism;
        }
        this.inputs = new int[plan.stages().size()][];
        for (Stage stage : plan.stages()) {
            inputs[stage.id()] = countInputs(stage);
        }
    }

    /** The shard reader {@code g} (counted over all sources, in plan order) feeds. */
    int shardOf(int g) {
        return readerShards[g];
    }

    /** How many producers end their input into shard {@code shard} of stage {@code stage}. */
    int inputs(int stage, int shard) {
        return inputs[stage][shard];
    }

    /**
     * Whether shard {@code shard} of stage {@code stage} runs its chain on the thread of the
     * one source reader that feeds it, with no ring and no thread of its own: a stage fed by
     * sources, a shard with exactly one reader, and chaining on.
     */
    boolean chained(int stage, int shard) {
        return chaining && inputs[stage][shard] == 1 && fedBySources(plan.stages().get(stage));
    }

    private static boolean fedBySources(Stage stage) {
        for (Edge edge : stage.inbound()) {
            if (edge.routing() != Edge.Routing.SOURCE) {
                return false;
            }
        }
        return !stage.inbound().isEmpty();
    }

    /** Shards that some input reaches: the others end at once and see no checkpoint barrier. */
    int shardsWithInput() {
        int count = 0;
        for (int[] stage : inputs) {
            for (int producers : stage) {
                if (producers > 0) {
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * How many producers end their input into each shard of {@code stage}: the readers assigned
     * to it, every upstream shard of a hash edge, the same-index shard of a forward edge.
     */
    private int[] countInputs(Stage stage) {
        int[] counts = new int[parallelism];
        for (Edge edge : stage.inbound()) {
            switch (edge.routing()) {
                case SOURCE -> {
                    int first = firstReaderOf((SourceNode) edge.from());
                    int readers = ((SourceNode) edge.from()).source().readers();
                    for (int r = 0; r < readers; r++) {
                        counts[readerShards[first + r]]++;
                    }
                }
                case HASH, BROADCAST -> {
                    for (int shard = 0; shard < parallelism; shard++) {
                        counts[shard] += parallelism;
                    }
                }
                case FORWARD -> {
                    for (int shard = 0; shard < parallelism; shard++) {
                        counts[shard]++;
                    }
                }
            }
        }
        return counts;
    }

    private int firstReaderOf(SourceNode node) {
        int first = 0;
        for (SourceNode source : plan.sources()) {
            if (source == node) {
                return first;
            }
            first += source.source().readers();
        }
        throw new IllegalStateException(node + " is not in the plan");
    }

    /**
     * The input index, at every shard of the edge's target stage, of the edge's first producer.
     * A stage fed by sources has only source edges, so edges between stages number their
     * producers after each other in the target's inbound order: a hash edge has one input per
     * upstream shard, a forward edge one.
     */
    int firstInputOf(Edge edge) {
        int first = 0;
        for (Edge inbound : edge.target().inbound()) {
            if (inbound == edge) {
                return first;
            }
            first += inbound.routing().fromEveryShard() ? parallelism : 1;
        }
        throw new IllegalStateException(edge + " is not an inbound edge of its target");
    }
}
