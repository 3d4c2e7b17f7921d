package io.ringflow.internal.graph;

import io.ringflow.Source;
import io.ringflow.watermark.WatermarkStrategy;
import java.util.List;

/** Where records enter: run by the source's own reader threads, feeding the first stage. */
public final class SourceNode extends Node {

    private final Source<?> source;
    private WatermarkStrategy<Object> watermarks;

    public SourceNode(int id, String name, Source<?> source) {
        super(id, name, "source", List.of());
        this.source = source;
    }

    public Source<?> source() {
        return source;
    }

    /** How the source's records get event time and watermarks; {@code null} without event time. */
    public WatermarkStrategy<Object> watermarks() {
        return watermarks;
    }

    /** Set while the topology is being built, before it is frozen. */
    @SuppressWarnings("unchecked")
    public void watermarks(WatermarkStrategy<?> strategy) {
        this.watermarks = (WatermarkStrategy<Object>) strategy;
    }
}
