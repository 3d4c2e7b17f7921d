package io.ringflow.internal.plan;

import io.ringflow.error.ErrorHandler;
import io.ringflow.internal.graph.KeyByNode;
import io.ringflow.internal.graph.MergeNode;
import io.ringflow.internal.graph.Node;
import io.ringflow.internal.graph.OperatorNode;
import io.ringflow.internal.graph.SideOutputNode;
import io.ringflow.internal.graph.SinkNode;
import io.ringflow.internal.metrics.ShardCounter;
import io.ringflow.internal.operator.CountingOutput;
import io.ringflow.internal.operator.Exchange;
import io.ringflow.internal.operator.FanOut;
import io.ringflow.internal.operator.KeyByOperator;
import io.ringflow.internal.operator.Operator;
import io.ringflow.internal.operator.OperatorContext;
import io.ringflow.internal.operator.Output;
import io.ringflow.internal.operator.ShardClock;
import io.ringflow.internal.operator.SideOutputs;
import io.ringflow.internal.operator.TwoInputOperator;
import io.ringflow.OutputTag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds one shard's fused chain of a stage, wiring each operator straight into the next. */
public final class ChainBuilder {

    private static final Output NOWHERE = (key, value, timestamp) -> { };

    private final StagePlan plan;
    private final Stage stage;
    private final int shard;
    private final ErrorHandler errorHandler;
    private final Wiring wiring;
    private final OperatorContext.StateStores stores;
    private final ShardClock clock;
    /** Operators by node id: node ids are topological, so this is upstream-first order. */
    private final TreeMap<Integer, Operator> byNode = new TreeMap<>();
    private final Map<Node, Output> built = new HashMap<>();
    private final List<Exchange> exchanges = new ArrayList<>();

    private ChainBuilder(StagePlan plan, Stage stage, int shard, ErrorHandler errorHandler, Wiring wiring,
                         OperatorContext.StateStores stores, ShardClock clock) {
        this.plan = plan;
        this.stage = stage;
        this.shard = shard;
        this.errorHandler = errorHandler;
        this.wiring = wiring;
        this.stores = stores;
        this.clock = clock;
    }

    public static ShardChain build(StagePlan plan, Stage stage, int shard, ErrorHandler errorHandler, Wiring wiring,
                                   OperatorContext.StateStores stores, ShardClock clock) {
        return new ChainBuilder(plan, stage, shard, errorHandler, wiring, stores, clock).build();
    }

    private ShardChain build() {
        List<Output> entries = new ArrayList<>();
        for (Edge edge : stage.inbound()) {
            List<Output> targets = new ArrayList<>();
            for (Node node : edge.into()) {
                targets.add(inputOf(node, edge.from()));
            }
            entries.add(FanOut.of(targets));
        }
        return new ShardChain(entries, new ArrayList<>(byNode.values()), exchanges);
    }

    private Output outputOf(Node node) {
        Output output = built.get(node);
        if (output == null) {
            output = create(node);
            built.put(node, output);
        }
        return output;
    }

    /**
     * Where {@code node} receives what {@code parent} sends: the node's own output, or for a
     * two-input operator the input {@code parent} is, so each record enters on its side.
     */
    private Output inputOf(Node node, Node parent) {
        Output output = outputOf(node);
        if (twoInputs(node)) {
            return ((TwoInputOperator) output).input(((OperatorNode) node).inputOf(parent));
        }
        return output;
    }

    private static boolean twoInputs(Node node) {
        return node instanceof OperatorNode op && op.twoInputs();
    }

    private Output create(Node node) {
        OperatorContext context = new OperatorContext(node.name(), node.kind(), shard, errorHandler, stores, clock);
        Operator operator;
        if (node instanceof MergeNode) {
            return downstreamOf(node);
        } else if (node instanceof SinkNode sink) {
            operator = wiring.sink(context, sink);
        } else if (node instanceof KeyByNode keyBy) {
            List<Edge> edges = plan.edgesFrom(node);
            Exchange[] sends = new Exchange[edges.size()];
            for (int i = 0; i < sends.length; i++) {
                sends[i] = exchange(edges.get(i));
            }
            operator = new KeyByOperator(context, keyBy.selector(), sends);
        } else if (node instanceof OperatorNode op) {
            if (op.sideOutput() != null) {
                context.sideOutput(outputOf(op.sideOutput()));
            }
            List<ShardCounter> counted = new ArrayList<>();
            // A window's late records are not among its results, as those its late-record sink gets are not.
            context.sideOutputs(sideOutputsOf(op, op.lateDataTag() == null ? counted : new ArrayList<>()));
            Output downstream = downstreamOf(node, counted);
            // What an operator passes on is what its children received: no counting wrapper
            // between fused operators, which would make every call site megamorphic.
            context.metrics().recordsOut(node.name(), shard, counted);
            operator = op.factory().create(context, downstream);
        } else {
            throw new IllegalStateException("cannot place " + node + " in " + stage);
        }
        byNode.put(node.id(), operator);
        return operator;
    }

    private Output downstreamOf(Node node) {
        return downstreamOf(node, new ArrayList<>());
    }

    /**
     * The output of {@code node} to its children. {@code counted} receives, per child, the
     * counter that counts what reaches it from {@code node}: a fused operator's own records-in
     * count (it has no other parent), or a counting wrapper before a merge or an exchange.
     */
    private Output downstreamOf(Node node, List<ShardCounter> counted) {
        List<Output> outputs = new ArrayList<>();
        for (Node child : node.children()) {
            if (node instanceof OperatorNode op && op.sideOutput() == child || child instanceof SideOutputNode) {
                continue;
            }
            Output output;
            if (plan.stageOf(child) == stage) {
                output = inputOf(child, node);
                if (output instanceof Operator operator && !(child instanceof MergeNode) && !twoInputs(child)) {
                    counted.add(operator.recordsIn());
                    outputs.add(output);
                    continue;
                }
            } else {
                Exchange exchange = exchange(plan.edge(node, child));
                output = exchange::send;
            }
            ShardCounter counter = new ShardCounter();
            counted.add(counter);
            outputs.add(new CountingOutput(output, counter));
        }
        // A process whose side outputs alone are taken: its main output goes nowhere, as an
        // untaken side output does (see ProcessFunction.Context.output).
        return outputs.isEmpty() && onlySideOutputs(node) ? NOWHERE : FanOut.of(outputs);
    }

    private static boolean onlySideOutputs(Node node) {
        return !node.children().isEmpty() && node.children().stream().allMatch(SideOutputNode.class::isInstance);
    }

    /**
     * Where a {@code process} operator's side outputs go: each tag the topology took, to its
     * stream's readers, whose counters join {@code counted}: what a process passes on is every
     * value the topology reads, main and side outputs alike, as in Flink.
     */
    private SideOutputs sideOutputsOf(OperatorNode node, List<ShardCounter> counted) {
        List<OutputTag<?>> tags = new ArrayList<>();
        List<Output> outputs = new ArrayList<>();
        for (Node child : node.children()) {
            if (child instanceof SideOutputNode side) {
                tags.add(side.tag());
                outputs.add(downstreamOf(side, counted));
            }
        }
        return SideOutputs.of(tags, outputs);
    }

    private Exchange exchange(Edge edge) {
        Exchange exchange = wiring.exchange(edge, shard);
        exchanges.add(exchange);
        return exchange;
    }
}
