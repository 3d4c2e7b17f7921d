package io.ringflow.internal.graph;

import io.ringflow.OutputTag;
import java.util.List;

/**
 * The side output {@code tag} of an operator: what a {@code process} function emits with
 * {@code ctx.output(tag, value)}, or a window's late records ({@code sideOutputLateData}). It
 * runs nothing of its own: fused into its operator's stage, it passes each value to its
 * children, which may cross into other stages like any stream.
 */
public final class SideOutputNode extends Node {

    private final OutputTag<?> tag;

    public SideOutputNode(int id, OperatorNode operator, OutputTag<?> tag) {
        super(id, nameOf(operator, tag), "sideOutput", List.of(operator));
        this.tag = tag;
    }

    /** The name of {@code operator}'s side output {@code tag}: {@code split.rejected}. */
    public static String nameOf(Node operator, OutputTag<?> tag) {
        return operator.name() + "." + tag.name();
    }

    public OutputTag<?> tag() {
        return tag;
    }

    /** The operator that emits to it. */
    public OperatorNode operator() {
        return (OperatorNode) parents().get(0);
    }

    /** {@code operator}'s side output of {@code tag}'s name, or {@code null} if none was taken. */
    public static SideOutputNode of(Node operator, OutputTag<?> tag) {
        for (Node child : operator.children()) {
            if (child instanceof SideOutputNode side && side.tag.equals(tag)) {
                return side;
            }
        }
        return null;
    }

    @Override
    protected String role() {
        return "side output '" + tag.name() + "' of " + operator();
    }
}
