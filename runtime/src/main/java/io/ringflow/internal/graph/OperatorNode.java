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

    public OperatorNode(int id, String name, String kind, Node parent, boolean stateful, OperatorFactory factory) {
        super(id, name, kind, List.of(parent));
        this.factory = factory;
        this.stateful = stateful;
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
