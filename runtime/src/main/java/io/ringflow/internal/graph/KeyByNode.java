package io.ringflow.internal.graph;

import io.ringflow.function.KeySelector;
import java.util.List;

/**
 * Ends a stage: the key is computed on the upstream shard, and the record is routed to the
 * shard of the next stage that owns the key.
 */
public final class KeyByNode extends Node {

    private final KeySelector<Object, Object> selector;

    @SuppressWarnings("unchecked")
    public KeyByNode(int id, String name, Node parent, KeySelector<?, ?> selector) {
        super(id, name, "keyBy", List.of(parent));
        this.selector = (KeySelector<Object, Object>) selector;
    }

    public KeySelector<Object, Object> selector() {
        return selector;
    }
}
