package io.ringflow.internal.plan;

import io.ringflow.internal.graph.KeyByNode;
import io.ringflow.internal.graph.Node;
import io.ringflow.internal.graph.SourceNode;
import java.util.List;
import java.util.Map;

/**
 * A topology cut into stages, in topological order: every stage comes after the stages that
 * feed it.
 */
public final class StagePlan {

    private final List<SourceNode> sources;
    private final List<Stage> stages;
    private final Map<Node, Stage> stageOf;

    StagePlan(List<SourceNode> sources, List<Stage> stages, Map<Node, Stage> stageOf) {
        this.sources = List.copyOf(sources);
        this.stages = List.copyOf(stages);
        this.stageOf = Map.copyOf(stageOf);
    }

    public List<SourceNode> sources() {
        return sources;
    }

    public List<Stage> stages() {
        return stages;
    }

    /** The stage a node runs in; sources run on their own reader threads and have none. */
    public Stage stageOf(Node node) {
        return stageOf.get(node);
    }

    /** The edge that leaves {@code from} into the stage that runs {@code to}. */
    public Edge edge(Node from, Node to) {
        for (Stage stage : stages) {
            for (Edge edge : stage.inbound()) {
                if (edge.from() == from && (from instanceof KeyByNode || from instanceof SourceNode
                        || edge.into().contains(to))) {
                    return edge;
                }
            }
        }
        throw new IllegalStateException("no edge from " + from + " to " + to);
    }

    /**
     * The plan as text: stages, the operators fused in each, and the ring buffers and
     * threads each needs, so every queue and thread Ringflow creates is visible.
     */
    public String describe(int parallelism, int ringSize) {
        StringBuilder out = new StringBuilder();
        for (SourceNode source : sources) {
            out.append("Source '").append(source.name()).append("': ")
                    .append(source.source().readers()).append(" reader thread(s) -> stage ")
                    .append(stageOf(source.children().get(0)).id()).append('\n');
        }
        for (Stage stage : stages) {
            out.append("Stage ").append(stage.id()).append(": ").append(parallelism)
                    .append(" shard(s), each one ring buffer of ").append(ringSize)
                    .append(" slots and one consumer thread\n");
            for (Edge edge : stage.inbound()) {
                out.append("  <- ").append(edge.routing().name().toLowerCase()).append(" from ")
                        .append(edge.from()).append('\n');
            }
            for (Node node : stage.nodes()) {
                out.append("  ").append(node);
                List<Node> children = node.children();
                if (!children.isEmpty()) {
                    out.append(" -> ");
                    for (int i = 0; i < children.size(); i++) {
                        out.append(i == 0 ? "" : ", ").append(children.get(i).name());
                    }
                }
                out.append('\n');
            }
        }
        return out.toString();
    }
}
