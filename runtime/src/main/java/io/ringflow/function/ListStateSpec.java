package io.ringflow.function;

import io.ringflow.state.Serde;

/**
 * A named {@link ListState}: a list of elements per key, in the order they were added. Like
 * Flink's {@code ListStateDescriptor}; with a {@link Ttl}, each element expires on its own.
 *
 * <pre>{@code
 * static final ListStateSpec<Long> FILLS = ListStateSpec.of("fills", Long.class);
 * // in process(...): ctx.listState(FILLS).add(quantity);
 * }</pre>
 *
 * @param <T> the element type
 */
public final class ListStateSpec<T> extends StateSpec {

    private final Serde<T> serde;

    private ListStateSpec(String name, Serde<T> serde, Ttl ttl) {
        super(name, ttl);
        this.serde = serde;
    }

    /** A list state of elements of a built-in type (String, Long, Integer, Double, byte[]). */
    public static <T> ListStateSpec<T> of(String name, Class<T> type) {
        return new ListStateSpec<>(name, builtIn(name, "element", type), null);
    }

    /** A list state whose elements {@code serde} writes. */
    public static <T> ListStateSpec<T> of(String name, Serde<T> serde) {
        return new ListStateSpec<>(name, required(name, "element", serde), null);
    }

    /** This spec, with each element living {@code ttl} after it was added. */
    public ListStateSpec<T> withTtl(Ttl ttl) {
        return new ListStateSpec<>(name(), serde, requiredTtl(ttl));
    }

    /** The serde of the elements. */
    public Serde<T> serde() {
        return serde;
    }
}
