package io.ringflow.internal.graph;

import io.ringflow.Sink;
import java.util.List;

/** Where records leave: fused into the end of its stage's chain. */
public final class SinkNode extends Node {

    private final Sink<Object> sink;
    private final boolean lateRecords;

    public SinkNode(int id, String name, Node parent, Sink<?> sink) {
        this(id, name, parent, sink, false);
    }

    /**
     * @param lateRecords whether the sink receives the late records of window {@code parent}
     *                    (its side output) rather than its results
     */
    @SuppressWarnings("unchecked")
    public SinkNode(int id, String name, Node parent, Sink<?> sink, boolean lateRecords) {
        super(id, name, "sink", List.of(parent));
        this.sink = (Sink<Object>) sink;
        this.lateRecords = lateRecords;
    }

    /** Whether the sink receives the late records of the window it follows, not its results. */
    public boolean lateRecords() {
        return lateRecords;
    }

    @Override
    protected String role() {
        Node parent = parents().get(0);
        return lateRecords ? "writes the late records of window '" + parent.name() + "'"
                : "writes the output of " + parent;
    }

    public Sink<Object> sink() {
        return sink;
    }
}
