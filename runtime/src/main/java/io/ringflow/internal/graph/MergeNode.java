package io.ringflow.internal.graph;

import java.util.List;

/**
 * Joins several streams into one. Free when every input runs in the same stage; otherwise
 * it starts a stage of its own, fed shard-to-shard by each input (which keeps a keyed
 * input's records on the shard that owns their key).
 */
public final class MergeNode extends Node {

    public MergeNode(int id, String name, List<Node> parents) {
        super(id, name, "merge", parents);
    }
}
