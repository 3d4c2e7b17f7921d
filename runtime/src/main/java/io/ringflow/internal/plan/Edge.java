package io.ringflow.internal.plan;

import io.ringflow.internal.graph.Node;
import java.util.List;

/**
 * Records crossing into a stage: from a source's readers, from a {@code keyBy} (routed by
 * key hash), from the input of a merge or a two-input operator that runs in another stage (shard
 * to same shard), or to every shard (a global table's input).
 *
 * @param from   the node whose output crosses the edge
 * @param target the stage it enters
 * @param entry  index of the edge among the target's inbound edges; travels with each record
 * @param into   the nodes of the target stage that receive the records
 */
public record Edge(Routing routing, Node from, Stage target, int entry, List<Node> into) {

    public enum Routing {
        /** From source readers: each reader feeds one shard. */
        SOURCE,
        /** By key hash: every upstream shard may feed every downstream shard. */
        HASH,
        /** Shard i feeds shard i: keeps keyed records on the shard that owns their key. */
        FORWARD,
        /** Every upstream shard feeds every downstream shard with every record: a global table's input. */
        BROADCAST;

        /** Whether each upstream shard is its own input at every downstream shard (hash, broadcast). */
        public boolean fromEveryShard() {
            return this == HASH || this == BROADCAST;
        }
    }
}
