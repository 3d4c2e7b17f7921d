package io.ringflow.internal.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One operator of the logical topology, as the DSL records it. Nodes are created in
 * topological order (a node's parents always exist before it), which the stage planner
 * relies on.
 */
public abstract class Node {

    private final int id;
    private final String name;
    private final String kind;
    private final List<Node> parents;
    private final List<Node> children = new ArrayList<>();

    protected Node(int id, String name, String kind, List<Node> parents) {
        this.id = id;
        this.name = name;
        this.kind = kind;
        this.parents = List.copyOf(parents);
        for (Node parent : parents) {
            parent.children.add(this);
        }
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** What the node does, as a user would say it: {@code map}, {@code keyBy}, {@code sink}, ... */
    public String kind() {
        return kind;
    }

    public List<Node> parents() {
        return parents;
    }

    public List<Node> children() {
        return Collections.unmodifiableList(children);
    }

    @Override
    public String toString() {
        return kind + " '" + name + "'";
    }
}
