package io.ringflow.function;

import io.ringflow.state.Serde;
import io.ringflow.state.Serdes;
import java.util.regex.Pattern;

/**
 * What a named keyed state of a keyed {@code process} is: its name, the serdes of what it holds
 * and, optionally, how long entries live ({@link Ttl}). One of {@link ValueStateSpec},
 * {@link MapStateSpec} and {@link ListStateSpec}; get the state from the context
 * ({@code ctx.mapState(spec)}). Immutable: {@code withTtl} returns a new spec.
 *
 * <p>Declare specs once, as constants: the context finds a spec it has seen by a scan of a few
 * references; a spec built anew per record costs its allocation and a comparison by name. One
 * name is one state per operator: declaring it again with another kind, other serdes or another
 * TTL fails the pipeline, naming both declarations.
 */
public abstract sealed class StateSpec permits ValueStateSpec, MapStateSpec, ListStateSpec {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    private final String name;
    private final Ttl ttl;

    StateSpec(String name, Ttl ttl) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a state name is 1 to 100 letters, digits, '_' or '-' (it names a"
                    + " store), got " + (name == null ? "null" : "'" + name + "'"));
        }
        this.name = name;
        this.ttl = ttl;
    }

    /** The state's name, unique within its operator. */
    public String name() {
        return name;
    }

    /** How long entries live after their last write, or {@code null} for ever. */
    public Ttl ttl() {
        return ttl;
    }

    /** The built-in serde for {@code type}, or a failure that says how to give one. */
    static <T> Serde<T> builtIn(String name, String role, Class<T> type) {
        if (type == null) {
            throw new IllegalArgumentException("state '" + name + "': the " + role + " type is null");
        }
        Serde<T> serde = Serdes.forClass(type);
        if (serde == null) {
            throw new IllegalArgumentException("state '" + name + "': no built-in serde for " + role + "s of type "
                    + type.getName() + "; Ringflow has them for String, Long, Integer, Double and byte[]."
                    + " Pass a serde instead, for example one built with Serdes.of(...)");
        }
        return serde;
    }

    static <T> Serde<T> required(String name, String role, Serde<T> serde) {
        if (serde == null) {
            throw new IllegalArgumentException("state '" + name + "': the " + role + " serde is null");
        }
        return serde;
    }

    static Ttl requiredTtl(Ttl ttl) {
        if (ttl == null) {
            throw new IllegalArgumentException("withTtl(null): a spec without a TTL is the one withTtl was called on");
        }
        return ttl;
    }
}
