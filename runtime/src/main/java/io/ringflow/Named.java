package io.ringflow;

/**
 * The name of an operator, as in Kafka Streams' {@code Named.as("...")}. Names appear in
 * {@link Topology#describe()}, in errors and in metrics, and must be unique in a topology.
 * Without one, an operator is named after its kind and position, for example {@code map-3}.
 */
public final class Named {

    private final String name;

    private Named(String name) {
        this.name = name;
    }

    public static Named as(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Named.as(...) needs a non-blank name");
        }
        return new Named(name);
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
