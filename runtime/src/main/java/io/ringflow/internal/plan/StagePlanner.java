package io.ringflow.internal.plan;

import io.ringflow.internal.graph.KeyByNode;
import io.ringflow.internal.graph.MergeNode;
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
 * shard by each input.
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
            } else {
                stage = outputStageOf.get(node.parents().get(0));
            }
            stage.add(node);
            stageOf.put(node, stage);
            if (node instanceof KeyByNode) {
                Stage keyed = newStage(stages);
                keyed.addInbound(Edge.Routing.HASH, node, node.children(), stage);
                outputStageOf.put(node, keyed);
            } else {
                outputStageOf.put(node, stage);
            }
        }
        return new StagePlan(sources, stages, stageOf);
    }

    private static Stage newStage(List<Stage> stages) {
        Stage stage = new Stage(stages.size());
        stages.add(stage);
        return stage;
    }
}
