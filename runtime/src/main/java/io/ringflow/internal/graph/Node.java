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

    /**
     * The node and what it does, for error messages that must tell two nodes apart:
     * {@code map 'clean' (reads source 'in')}.
     */
    public String describe() {
        return this + " (" + role() + ")";
    }

    /** What the node does, in a few words: {@code reads source 'in'}. */
    protected String role() {
        if (parents.isEmpty()) {
            return "brings records in";
        }
        StringBuilder role = new StringBuilder("reads ");
        for (int i = 0; i < parents.size(); i++) {
            role.append(i == 0 ? "" : " and ").append(parents.get(i));
        }
        return role.toString();
    }

    @Override
    public String toString() {
        return kind + " '" + name + "'";
    }
}
