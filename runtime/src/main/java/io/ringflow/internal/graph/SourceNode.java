package io.ringflow.internal.graph;

import io.ringflow.Source;
import java.util.List;

/** Where records enter: run by the source's own reader threads, feeding the first stage. */
public final class SourceNode extends Node {

    private final Source<?> source;

    public SourceNode(int id, String name, Source<?> source) {
        super(id, name, "source", List.of());
        this.source = source;
    }

    public Source<?> source() {
        return source;
    }
}
