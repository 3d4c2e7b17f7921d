package io.ringflow.internal.graph;

import io.ringflow.OutputTag;
import io.ringflow.internal.operator.OperatorFactory;
import java.util.List;

/** A per-record operator fused into its stage's chain: map, filter, reduce, ... */
public final class OperatorNode extends Node {

    private final OperatorFactory factory;
    private final boolean stateful;
    private Node sideOutput;
    private OutputTag<?> lateDataTag;
    private long processingTimeIntervalMillis;
    private boolean heapState;
    /** For a two-input operator: whether its second input reaches every shard (a global table). */
    private final boolean broadcastSecond;

    public OperatorNode(int id, String name, String kind, Node parent, boolean stateful, OperatorFactory factory) {
        this(id, name, kind, List.of(parent), false, stateful, factory);
    }

    /**
     * A two-input operator ({@code connect(...).process}, the joins): {@code parents} are its
     * first and second input, in that order. Its factory's operator is a {@code TwoInputOperator}.
     *
     * @param broadcastSecond every record of the second input goes to every shard, instead of
     *                        staying on (or going to) the shard of its key
     */
    public OperatorNode(int id, String name, String kind, List<Node> parents, boolean broadcastSecond,
                        boolean stateful, OperatorFactory factory) {
        super(id, name, kind, parents);
        if (parents.size() > 2 || parents.size() == 2 && parents.get(0) == parents.get(1)) {
            throw new IllegalArgumentException(kind + " '" + name + "' needs one input or two different ones");
        }
        this.factory = factory;
        this.stateful = stateful;
        this.broadcastSecond = broadcastSecond;
    }

    /** Whether this operator reads two inputs: records carry which one they came from. */
    public boolean twoInputs() {
        return parents().size() == 2;
    }

    /** Whether the second input is broadcast to every shard; see the constructor. */
    public boolean broadcastSecond() {
        return broadcastSecond;
    }

    /** Which input of this two-input operator {@code parent} is: 0 or 1. */
    public int inputOf(Node parent) {
        int side = parents().indexOf(parent);
        if (side < 0) {
            throw new IllegalArgumentException(parent + " is not an input of " + this);
        }
        return side;
    }

    public OperatorFactory factory() {
        return factory;
    }

    /**
     * The child that receives this operator's side output (a window's late records) instead
     * of its results; {@code null} when it has none.
     */
    public Node sideOutput() {
        return sideOutput;
    }

    /** Set while the topology is being built. */
    public void sideOutput(Node child) {
        this.sideOutput = child;
    }

    /**
     * The tag under which a window's late records can be taken as a stream
     * ({@code sideOutputLateData}); {@code null} when none was given.
     */
    public OutputTag<?> lateDataTag() {
        return lateDataTag;
    }

    /** Set while the topology is being built. */
    public void lateDataTag(OutputTag<?> tag) {
        this.lateDataTag = tag;
    }

    /**
     * How often the operator needs processing time to pass even without records
     * ({@code everyInterval} windows); 0 when it does not.
     */
    public long processingTimeIntervalMillis() {
        return processingTimeIntervalMillis;
    }

    public void processingTimeIntervalMillis(long millis) {
        this.processingTimeIntervalMillis = millis;
    }

    /** Whether its state lives on the heap ({@code Materialized.inMemory()}) rather than in the pipeline's backend. */
    public boolean heapState() {
        return heapState;
    }

    /** Set while the topology is being built. */
    public void heapState(boolean onHeap) {
        this.heapState = onHeap;
    }

    /** Whether the operator keeps keyed state (one store per shard, named after the operator). */
    public boolean stateful() {
        return stateful;
    }
}
