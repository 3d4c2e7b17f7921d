package io.ringflow.internal.plan;

import io.ringflow.internal.graph.KeyByNode;
import io.ringflow.internal.graph.Node;
import io.ringflow.internal.graph.OperatorNode;
import io.ringflow.internal.graph.SideOutputNode;
import io.ringflow.internal.graph.SourceNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiPredicate;
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

    /**
     * The names of the operators that drop late records: windows (a {@code count}, {@code reduce}
     * or {@code aggregate} after {@code window}) and interval joins, in the order they were added.
     */
    public List<String> windowNames() {
        List<Node> windows = new ArrayList<>();
        for (Stage stage : stages) {
            for (Node node : stage.nodes()) {
                if (node instanceof OperatorNode && (node.kind().equals("window") || node.kind().equals("interval-join"))) {
                    windows.add(node);
                }
            }
        }
        windows.sort(Comparator.comparingInt(Node::id));
        return windows.stream().map(Node::name).toList();
    }

    /**
     * Fails with an {@link IllegalArgumentException} listing the windows when {@code topology}
     * has no window named {@code window}: a misspelt name would otherwise read as 0 late records.
     */
    public void requireWindow(String topology, String window) {
        List<String> windows = windowNames();
        if (!windows.contains(window)) {
            throw new IllegalArgumentException("topology '" + topology + "' has no window named '" + window + "'; "
                    + (windows.isEmpty() ? "it has no windows" : "its windows are " + windows));
        }
    }

    /** The stage a node runs in; sources run on their own reader threads and have none. */
    public Stage stageOf(Node node) {
        return stageOf.get(node);
    }

    /** Every edge that leaves {@code from}: a {@code keyBy} read by two-input operators has one per such operator. */
    public List<Edge> edgesFrom(Node from) {
        List<Edge> edges = new ArrayList<>();
        for (Stage stage : stages) {
            for (Edge edge : stage.inbound()) {
                if (edge.from() == from) {
                    edges.add(edge);
                }
            }
        }
        return edges;
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
     * Milliseconds between ticks of the pipeline's timer thread: half the shortest source
     * idleness timeout, {@code everyInterval} interval or keyed {@code process}'s need (its
     * processing-time timers: a tick every {@code KeyedProcessFunction.PROCESSING_TIME_TICK_MILLIS}),
     * between 1 and 100 ms; 0 when nothing
     * needs processing time to pass without records, and the pipeline has no timer thread.
     */
    public long timerPeriodMillis() {
        long shortest = Long.MAX_VALUE;
        for (SourceNode source : sources) {
            if (source.watermarks() != null && source.watermarks().idlenessMillis() > 0) {
                shortest = Math.min(shortest, source.watermarks().idlenessMillis());
            }
        }
        for (Stage stage : stages) {
            for (Node node : stage.nodes()) {
                if (node instanceof OperatorNode op && op.processingTimeIntervalMillis() > 0) {
                    shortest = Math.min(shortest, op.processingTimeIntervalMillis());
                }
            }
        }
        return shortest == Long.MAX_VALUE ? 0 : Math.max(1, Math.min(100, shortest / 2));
    }

    /**
     * The plan as text: stages, the operators fused in each, and the ring buffers and
     * threads each needs, so every queue and thread Ringflow creates is visible.
     */
    public String describe(int parallelism, int ringSize, BiPredicate<Integer, Integer> chained) {
        StringBuilder out = new StringBuilder();
        for (SourceNode source : sources) {
            out.append("Source '").append(source.name()).append("': ")
                    .append(source.source().readers()).append(" reader thread(s) -> stage ")
                    .append(stageOf(source.children().get(0)).id()).append('\n');
        }
        if (timerPeriodMillis() > 0) {
            out.append("Timer: one thread, a tick every ").append(timerPeriodMillis())
                    .append(" ms (source idleness, everyInterval windows, processing-time timers)\n");
        }
        for (Stage stage : stages) {
            int onReaders = 0;
            for (int shard = 0; shard < parallelism; shard++) {
                onReaders += chained.test(stage.id(), shard) ? 1 : 0;
            }
            String ring = "one ring buffer of " + ringSize + " slots and one consumer thread";
            String onReader = "on the thread of the one reader that feeds it, with no ring or thread of its own";
            out.append("Stage ").append(stage.id()).append(": ").append(parallelism).append(" shard(s), ")
                    .append(onReaders == 0 ? "each " + ring
                            : onReaders == parallelism ? "each run " + onReader
                            : onReaders + " run " + onReader + ", the others " + ring);
            out.append('\n');
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
                        if (children.get(i) instanceof SideOutputNode side) {
                            out.append(" (side output '").append(side.tag().name()).append("')");
                        }
                    }
                }
                out.append('\n');
            }
        }
        return out.toString();
    }
}
