package io.ringflow.internal.keyedstate;

import io.ringflow.function.ListStateSpec;
import io.ringflow.function.MapStateSpec;
import io.ringflow.function.StateSpec;
import io.ringflow.function.ValueStateSpec;
import io.ringflow.state.Serde;
import java.util.Objects;

/** One named state an operator declared: its spec, its index in each partition's tables, its handle. */
final class Declaration {

    final int index;
    final StateSpec spec;
    /** "value", "map" or "list": part of the store's name, so one name of two kinds never shares a store. */
    final String kind;
    /** The suffix of the state's store name, after the partition's store name. */
    final String suffix;
    Object handle;

    Declaration(int index, StateSpec spec) {
        this.index = index;
        this.spec = spec;
        this.kind = kindOf(spec);
        this.suffix = suffix(kind, spec.name());
    }

    static String suffix(String kind, String name) {
        return "." + kind + "." + name;
    }

    static String kindOf(StateSpec spec) {
        if (spec instanceof ValueStateSpec) {
            return "value";
        }
        return spec instanceof MapStateSpec ? "map" : "list";
    }

    /** Whether {@code other} (of the same name) declares the same state: kind, serdes and TTL. */
    boolean sameAs(StateSpec other) {
        if (!kindOf(other).equals(kind) || !Objects.equals(spec.ttl(), other.ttl())) {
            return false;
        }
        if (spec instanceof ValueStateSpec<?> value) {
            return same(value.serde(), ((ValueStateSpec<?>) other).serde());
        }
        if (spec instanceof ListStateSpec<?> list) {
            return same(list.serde(), ((ListStateSpec<?>) other).serde());
        }
        MapStateSpec<?, ?> map = (MapStateSpec<?, ?>) spec;
        MapStateSpec<?, ?> otherMap = (MapStateSpec<?, ?>) other;
        return same(map.keySerde(), otherMap.keySerde()) && same(map.valueSerde(), otherMap.valueSerde());
    }

    /**
     * The same serde, or one of the same class and type name: {@code Serdes.of(...)} called
     * twice with the same type gives two objects that write the same bytes.
     */
    private static boolean same(Serde<?> a, Serde<?> b) {
        return a == b || (a.getClass() == b.getClass() && Objects.equals(a.typeName(), b.typeName()));
    }

    /** The declaration as a message names it: {@code map 'positions' of String -> Double, Ttl...}. */
    static String describe(StateSpec spec) {
        String types;
        if (spec instanceof ValueStateSpec<?> value) {
            types = value.serde().typeName();
        } else if (spec instanceof ListStateSpec<?> list) {
            types = list.serde().typeName();
        } else {
            MapStateSpec<?, ?> map = (MapStateSpec<?, ?>) spec;
            types = map.keySerde().typeName() + " -> " + map.valueSerde().typeName();
        }
        return kindOf(spec) + " '" + spec.name() + "' of " + types
                + (spec.ttl() == null ? ", no TTL" : ", " + spec.ttl());
    }
}
