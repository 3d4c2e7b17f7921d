package io.ringflow.internal.plan;

import io.ringflow.internal.graph.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A fused chain of operators that runs, per shard, on one ring buffer and one consumer
 * thread. A stage begins where records cross a ring buffer (from a source, after a
 * {@code keyBy}, at a merge of stages) and ends at a sink or at the next crossing.
 */
public final class Stage {

    private final int id;
    private final List<Edge> inbound = new ArrayList<>();
    private final List<Edge> outbound = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();

    Stage(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public List<Edge> inbound() {
        return Collections.unmodifiableList(inbound);
    }

    public List<Edge> outbound() {
        return Collections.unmodifiableList(outbound);
    }

    /** The operators that run in this stage, in topological order. */
    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    Edge addInbound(Edge.Routing routing, Node from, List<Node> into, Stage upstream) {
        Edge edge = new Edge(routing, from, this, inbound.size(), List.copyOf(into));
        inbound.add(edge);
        if (upstream != null) {
            upstream.outbound.add(edge);
        }
        return edge;
    }

    void add(Node node) {
        nodes.add(node);
    }

    @Override
    public String toString() {
        return "stage " + id;
    }
}
