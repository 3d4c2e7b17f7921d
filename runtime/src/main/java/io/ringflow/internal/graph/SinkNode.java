package io.ringflow.internal.graph;

import io.ringflow.Sink;
import java.util.List;

/** Where records leave: fused into the end of its stage's chain. */
public final class SinkNode extends Node {

    private final Sink<Object> sink;

    @SuppressWarnings("unchecked")
    public SinkNode(int id, String name, Node parent, Sink<?> sink) {
        super(id, name, "sink", List.of(parent));
        this.sink = (Sink<Object>) sink;
    }

    public Sink<Object> sink() {
        return sink;
    }
}
