package io.ringflow;

import io.ringflow.internal.graph.Node;
import io.ringflow.internal.pipeline.ThreadNames;
import io.ringflow.internal.plan.StagePlan;
import io.ringflow.internal.plan.StagePlanner;
import io.ringflow.internal.plan.TopologyPlans;
import java.util.List;

/**
 * A checked, frozen topology, built by {@link StreamBuilder#build()}. Run it with a
 * {@link Pipeline}, or test it with {@link io.ringflow.testing.TopologyTestDriver}. One
 * topology can run in any number of pipelines.
 */
public final class Topology {

    static {
        // The runtime outside this package needs the plan; users must not see it.
        TopologyPlans.register(Topology::plan);
    }

    private final String name;
    private final List<Node> nodes;
    private final StagePlan plan;

    Topology(String name, List<Node> nodes) {
        this.name = name;
        this.nodes = List.copyOf(nodes);
        this.plan = StagePlanner.plan(this.nodes);
    }

    /** The name given to the {@link StreamBuilder}; it names threads, logs and metrics. */
    public String name() {
        return name;
    }

    /**
     * The stages, the operators fused in each, and the rings and threads they run on by default,
     * every thread by the name a running pipeline gives it.
     */
    public String describe() {
        return describe(PipelineConfig.defaults());
    }

    /**
     * Like {@link #describe()}, with the shard counts, ring sizes and checkpoint threads of
     * {@code config}.
     */
    public String describe(PipelineConfig config) {
        return "Topology '" + name + "'\n" + plan.describe(config.parallelism(), config.ringSize(),
                ThreadNames.chained(plan, config))
                + ThreadNames.describe(name, plan, config);
    }

    /** The stage plan, for the runtime; the test driver, in another package, reads it through {@link TopologyPlans}. */
    StagePlan plan() {
        return plan;
    }

    @Override
    public String toString() {
        return describe();
    }
}
