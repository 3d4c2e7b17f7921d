package io.ringflow.internal.operator;

import io.ringflow.OutputTag;
import java.util.List;

/**
 * One shard's routes from a {@code process} operator's side-output tags to the outputs the
 * topology wired them to. An operator has few tags, so a scan of an array beats a hash map:
 * no hashing, no allocation, and the first compare is by identity, which is what a tag kept
 * in a constant gives.
 */
public final class SideOutputs {

    /** An operator none of whose side outputs the topology takes. */
    public static final SideOutputs NONE = new SideOutputs(List.of(), List.of());

    private final OutputTag<?>[] tags;
    private final Output[] outputs;

    private SideOutputs(List<OutputTag<?>> tags, List<Output> outputs) {
        this.tags = tags.toArray(new OutputTag<?>[0]);
        this.outputs = outputs.toArray(new Output[0]);
    }

    /** Routes {@code tags.get(i)} to {@code outputs.get(i)}; the tags' names are distinct. */
    public static SideOutputs of(List<OutputTag<?>> tags, List<Output> outputs) {
        if (tags.size() != outputs.size()) {
            throw new IllegalArgumentException(tags.size() + " tags for " + outputs.size() + " outputs");
        }
        return tags.isEmpty() ? NONE : new SideOutputs(tags, outputs);
    }

    /** Where the side output of {@code tag}'s name goes; {@code null} if the topology took no stream for it. */
    public Output outputOf(OutputTag<?> tag) {
        for (int i = 0; i < tags.length; i++) {
            if (tags[i].equals(tag)) {
                return outputs[i];
            }
        }
        return null;
    }

    /**
     * Pushes {@code value} into the side output of {@code tag}'s name; a tag the topology took
     * no stream for goes nowhere, as documented on {@code ProcessFunction.Context.output}.
     *
     * @throws IllegalArgumentException if the value is not of the tag's type, or the topology
     *         took the tag's name with another type (its stream expects other values)
     */
    public void push(OutputTag<?> tag, Object key, Object value, long timestamp) {
        if (value != null && !tag.type().isInstance(value)) {
            throw new IllegalArgumentException("a value of " + value.getClass().getName() + " was emitted to "
                    + tag + "; emit values of its type, or use a tag of the values' type");
        }
        for (int i = 0; i < tags.length; i++) {
            OutputTag<?> wired = tags[i];
            if (wired == tag || wired.name().equals(tag.name())) {
                if (wired.type() != tag.type()) {
                    throw new IllegalArgumentException("a value was emitted to " + tag + ", but the topology took"
                            + " side output '" + tag.name() + "' as " + wired + "; use one tag for both");
                }
                outputs[i].push(key, value, timestamp);
                return;
            }
        }
    }
}
