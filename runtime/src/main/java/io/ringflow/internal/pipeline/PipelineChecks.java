package io.ringflow.internal.pipeline;

import io.ringflow.PipelineConfig;
import io.ringflow.TransactionalSink;
import io.ringflow.internal.graph.Node;
import io.ringflow.internal.graph.OperatorNode;
import io.ringflow.internal.graph.SinkNode;
import io.ringflow.internal.graph.SourceNode;
import io.ringflow.internal.plan.Stage;
import io.ringflow.internal.plan.StagePlan;

/**
 * Refuses a configuration the pipeline cannot run exactly as asked, before it takes any
 * resource (the state directory's lock, a sink's transactions): each message names what is
 * wrong and what to change.
 */
final class PipelineChecks {

    private PipelineChecks() {
    }

    /** Throws {@link IllegalArgumentException} for the first setting that does not fit the plan. */
    static void check(String name, StagePlan plan, PipelineConfig config) {
        if (config.sharedCheckpoints().isPresent() && config.checkpointInterval().isEmpty()) {
            throw new IllegalArgumentException("pipeline '" + name + "': shared checkpoints hand keyed state over"
                    + " through checkpoints, which are off; add PipelineConfig.withCheckpointing(interval)");
        }
        if (config.checkpointInterval().isPresent()) {
            refuseUnreplayableSources(name, plan);
        }
        int exactlyOnce = checkExactlyOnceSinks(name, plan, config);
        if (config.checkpointInterval().isPresent()) {
            checkCheckpointedState(name, plan, config);
            if (config.sharedCheckpoints().isPresent() && exactlyOnce > 0) {
                throw new IllegalArgumentException("pipeline '" + name + "': exactly-once sinks and shared checkpoints"
                        + " (state following partitions between instances) cannot be combined yet: an instance taking a"
                        + " partition over cannot tell which of another instance's checkpoints its sink committed; use"
                        + " one of the two");
            }
        }
    }

    /** Refuses, with checkpointing on, a source that cannot read its input again. */
    private static void refuseUnreplayableSources(String name, StagePlan plan) {
        for (SourceNode source : plan.sources()) {
            if (!source.source().replayable()) {
                throw new IllegalArgumentException("pipeline '" + name + "': source '" + source.name() + "' ("
                        + source.source().getClass().getSimpleName() + ") cannot read its input again, and"
                        + " checkpoints are on: after a restore, state would miss every record it read since the"
                        + " last checkpoint. Turn checkpointing off for it, or feed its input through a source that"
                        + " can resume (KafkaSource, FileSource)");
            }
        }
    }

    /**
     * An exactly-once sink commits with checkpoints, so it needs them, and there is at most one.
     *
     * @return how many exactly-once sinks the plan has (0 or 1)
     */
    private static int checkExactlyOnceSinks(String name, StagePlan plan, PipelineConfig config) {
        SinkNode first = null;
        for (SinkNode node : PipelineSinks.distinct(plan)) {
            if (!(node.sink() instanceof TransactionalSink<?> sink)) {
                continue;
            }
            if (config.checkpointInterval().isEmpty()) {
                throw new IllegalArgumentException("pipeline '" + name + "': sink '" + node.name() + "' ("
                        + sink + ") is exactly-once: its output commits with checkpoints, which are off; turn"
                        + " them on with PipelineConfig.withCheckpointing(interval), or use the sink's"
                        + " at-least-once mode");
            }
            if (first != null) {
                // Each commits in a transaction of its own: a crash between two commits leaves one
                // sink a checkpoint ahead, and the restore, bound by the other, writes its output again.
                throw new IllegalArgumentException("pipeline '" + name + "': sinks '" + first.name() + "' and '"
                        + node.name() + "' are both exactly-once, and each commits in a transaction of its own:"
                        + " a crash between their commits would make a restore write one of them twice. Send the"
                        + " results through one exactly-once sink (merge the streams first), or build the others"
                        + " at-least-once");
            }
            first = node;
        }
        return first == null ? 0 : 1;
    }

    /** Checkpoints capture RocksDB state in the state directory, and nothing else. */
    private static void checkCheckpointedState(String name, StagePlan plan, PipelineConfig config) {
        if (config.stateDirectory().isEmpty()) {
            throw new IllegalArgumentException("pipeline '" + name + "': checkpoints need a state directory to live"
                    + " in; add PipelineConfig.withStateDirectory(path)");
        }
        if (config.inMemoryState() && PipelineState.needsState(plan)) {
            throw new IllegalArgumentException("pipeline '" + name + "': checkpoints capture RocksDB state, and"
                    + " withInMemoryState() keeps state on the heap; drop one of the two");
        }
        for (Stage stage : plan.stages()) {
            for (Node node : stage.nodes()) {
                if (node instanceof OperatorNode op && op.stateful() && op.heapState()) {
                    throw new IllegalArgumentException("pipeline '" + name + "': operator '" + op.name() + "' keeps"
                            + " its state on the heap (Materialized.inMemory()), which checkpoints do not capture:"
                            + " after a restart it would start empty while its sources resume past what it counted;"
                            + " drop Materialized.inMemory(), or turn checkpointing off");
                }
            }
        }
    }
}
