package io.ringflow;

/**
 * The name and value type of a side output of {@code process}, as Flink's {@code OutputTag}:
 * the function emits to it with {@code ctx.output(tag, value)}, and the topology reads it with
 * {@code sideOutput(tag)} on the stream that {@code process} returned.
 *
 * <pre>{@code
 * OutputTag<String> rejected = OutputTag.of("rejected", String.class);
 * EventStream<Order> valid = orders.process((order, ctx, out) -> {
 *     if (order.isValid()) out.collect(order); else ctx.output(rejected, order.id());
 * });
 * valid.sideOutput(rejected).to(deadLetters);
 * }</pre>
 *
 * <p>Two tags are equal when their names are equal, whatever their types: a name is unique
 * per operator, and the topology refuses a second tag of that name with another type. A tag
 * is an immutable value: create it once, in a constant, and use it in the function and in
 * the topology alike. Creating one costs nothing per record.
 *
 * @param <T> the type of the values emitted to the side output
 */
public final class OutputTag<T> {

    private final String name;
    private final Class<? super T> type;

    private OutputTag(String name, Class<? super T> type) {
        this.name = name;
        this.type = type;
    }

    /**
     * A tag named {@code name} for values of class {@code type}. For a generic type give its
     * class, which the values are checked against: {@code OutputTag.<List<String>>of("words",
     * List.class)}. A primitive class is refused: use its box ({@code Long.class}).
     *
     * @throws IllegalArgumentException if the name is blank or the type is null or primitive
     */
    public static <T> OutputTag<T> of(String name, Class<? super T> type) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("OutputTag.of(...) needs a non-blank name");
        }
        if (type == null) {
            throw new IllegalArgumentException("output tag '" + name + "' needs the class of its values,"
                    + " for example OutputTag.of(\"" + name + "\", String.class)");
        }
        if (type.isPrimitive()) {
            throw new IllegalArgumentException("output tag '" + name + "': values are objects, so " + type
                    + " can never match one; use its box class, for example Long.class for long");
        }
        return new OutputTag<>(name, type);
    }

    /** The tag's name, unique per operator; it names the side output in {@link Topology#describe()}. */
    public String name() {
        return name;
    }

    /** The class every value emitted to this tag is an instance of; {@code ctx.output} checks it. */
    public Class<? super T> type() {
        return type;
    }

    /** Equal to another tag of the same name, whatever its type. */
    @Override
    public boolean equals(Object other) {
        return other instanceof OutputTag<?> tag && tag.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "OutputTag '" + name + "' of " + type.getSimpleName();
    }
}
