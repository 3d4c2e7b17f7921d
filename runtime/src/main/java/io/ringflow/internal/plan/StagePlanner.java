package io.ringflow.internal.plan;

import io.ringflow.internal.graph.KeyByNode;
import io.ringflow.internal.graph.MergeNode;
import io.ringflow.internal.graph.OperatorNode;
import io.ringflow.internal.graph.Node;
import io.ringflow.internal.graph.SourceNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cuts a topology into stages. Every operator runs in the stage of its input; a
 * {@code keyBy} runs in its input's stage and starts a new stage for its output; all sources
 * feed one first stage; a merge of inputs from different stages starts a stage fed shard to
 * shard by each input; a two-input operator runs where both inputs run, or starts a stage fed
 * by each (see {@link #twoInputStage}).
 */
public final class StagePlanner {

    private StagePlanner() {
    }

    /** {@code nodes} must be in topological order, as the DSL creates them. */
    public static StagePlan plan(List<Node> nodes) {
        List<Stage> stages = new ArrayList<>();
        List<SourceNode> sources = new ArrayList<>();
        Map<Node, Stage> stageOf = new HashMap<>();
        Map<Node, Stage> outputStageOf = new HashMap<>();
        Stage first = null;

        for (Node node : nodes) {
            Stage stage;
            if (node instanceof SourceNode source) {
                sources.add(source);
                if (first == null) {
                    first = newStage(stages);
                }
                first.addInbound(Edge.Routing.SOURCE, source, source.children(), null);
                outputStageOf.put(node, first);
                continue;
            } else if (node instanceof MergeNode) {
                Set<Stage> inputs = new LinkedHashSet<>();
                for (Node parent : node.parents()) {
                    inputs.add(outputStageOf.get(parent));
                }
                if (inputs.size() == 1) {
                    stage = inputs.iterator().next();
                } else {
                    stage = newStage(stages);
                    for (Node parent : node.parents()) {
                        stage.addInbound(Edge.Routing.FORWARD, parent, List.of(node), outputStageOf.get(parent));
                    }
                }
            } else if (node instanceof OperatorNode op && op.twoInputs()) {
                stage = twoInputStage(op, stages, stageOf, outputStageOf);
            } else {
                stage = outputStageOf.get(node.parents().get(0));
            }
            stage.add(node);
            stageOf.put(node, stage);
            if (node instanceof KeyByNode) {
                // A two-input operator reading it gets a hash edge of its own (twoInputStage).
                List<Node> keyedChildren = node.children().stream().filter(child -> !readsDirectly(child, node)).toList();
                if (!keyedChildren.isEmpty()) {
                    Stage keyed = newStage(stages);
                    keyed.addInbound(Edge.Routing.HASH, node, keyedChildren, stage);
                    outputStageOf.put(node, keyed);
                }
            } else {
                outputStageOf.put(node, stage);
            }
        }
        return new StagePlan(sources, stages, stageOf);
    }

    /**
     * The stage of a two-input operator: its inputs' stage when both run in one (fused, as a
     * merge is); otherwise a stage of its own with an edge from each input. An input that is a
     * {@code keyBy} sends a hash edge of its own straight into that stage (besides the one into
     * its keyed stage, if other operators read it), so a join of two keyed streams costs one
     * hand-off per record, as a keyed operator does.
     */
    private static Stage twoInputStage(OperatorNode node, List<Stage> stages, Map<Node, Stage> stageOf,
                                       Map<Node, Stage> outputStageOf) {
        Node first = node.parents().get(0);
        Node second = node.parents().get(1);
        for (Node parent : node.parents()) {
            if (parent instanceof SourceNode || parent instanceof KeyByNode && !readsDirectly(node, parent)) {
                throw new IllegalStateException(node + " cannot read " + parent + " directly; the DSL puts an operator between");
            }
        }
        Stage firstStage = outputStageOf.get(first);
        // A keyBy input's hash edge into its keyed stage leaves out the operators that read it
        // directly, so one that does never fuses there (a join with a map of its own input).
        if (!node.broadcastSecond() && firstStage != null && firstStage == outputStageOf.get(second)
                && !readsDirectly(node, first) && !readsDirectly(node, second)) {
            return firstStage;
        }
        Stage stage = newStage(stages);
        for (Node parent : node.parents()) {
            if (readsDirectly(node, parent)) {
                stage.addInbound(Edge.Routing.HASH, parent, List.of(node), stageOf.get(parent));
            } else {
                Edge.Routing routing = parent == second && node.broadcastSecond()
                        ? Edge.Routing.BROADCAST : Edge.Routing.FORWARD;
                stage.addInbound(routing, parent, List.of(node), outputStageOf.get(parent));
            }
        }
        return stage;
    }

    /** Whether {@code child} is a two-input operator that takes {@code keyBy}'s hash edge into its own stage. */
    private static boolean readsDirectly(Node child, Node keyBy) {
        return keyBy instanceof KeyByNode && child instanceof OperatorNode op && op.twoInputs()
                && !(op.broadcastSecond() && op.parents().get(1) == keyBy);
    }

    private static Stage newStage(List<Stage> stages) {
        Stage stage = new Stage(stages.size());
        stages.add(stage);
        return stage;
    }
}
