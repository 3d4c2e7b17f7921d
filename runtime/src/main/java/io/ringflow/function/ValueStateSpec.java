package io.ringflow.function;

import io.ringflow.state.Serde;

/**
 * A named {@link ValueState}: one value per key, kept apart from the operator's unnamed
 * {@code ctx.state()}. Like Flink's {@code ValueStateDescriptor}.
 *
 * <pre>{@code
 * static final ValueStateSpec<Double> LAST = ValueStateSpec.of("last", Double.class);
 * // in process(...): ctx.valueState(LAST).update(price);
 * }</pre>
 *
 * @param <T> the value type
 */
public final class ValueStateSpec<T> extends StateSpec {

    private final Serde<T> serde;

    private ValueStateSpec(String name, Serde<T> serde, Ttl ttl) {
        super(name, ttl);
        this.serde = serde;
    }

    /** A value state of a built-in type (String, Long, Integer, Double, byte[]). */
    public static <T> ValueStateSpec<T> of(String name, Class<T> type) {
        return new ValueStateSpec<>(name, builtIn(name, "value", type), null);
    }

    /** A value state whose values {@code serde} writes. */
    public static <T> ValueStateSpec<T> of(String name, Serde<T> serde) {
        return new ValueStateSpec<>(name, required(name, "value", serde), null);
    }

    /** This spec, with each key's value living {@code ttl} after its last write. */
    public ValueStateSpec<T> withTtl(Ttl ttl) {
        return new ValueStateSpec<>(name(), serde, requiredTtl(ttl));
    }

    /** The serde of the values. */
    public Serde<T> serde() {
        return serde;
    }
}
