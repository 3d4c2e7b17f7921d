package io.ringflow.internal.keyedstate;

import io.ringflow.function.ListState;
import io.ringflow.function.ListStateSpec;
import io.ringflow.function.MapState;
import io.ringflow.function.MapStateSpec;
import io.ringflow.function.StateDeclarationException;
import io.ringflow.function.StateSpec;
import io.ringflow.function.TimeDomain;
import io.ringflow.function.Ttl;
import io.ringflow.function.ValueState;
import io.ringflow.function.ValueStateSpec;
import io.ringflow.state.Serde;
import io.ringflow.state.StoreSerde;
import java.util.Arrays;

/**
 * The named states one keyed {@code process} operator declared on one shard, and what their
 * handles share: the current key's prefix bytes, the clocks. One handle per declared state
 * serves every key and partition; it finds the current partition's table by an array index.
 *
 * <p>Cost per {@code ctx.mapState(spec)}: a scan by identity of the declared specs (a few
 * references); a spec not seen before is compared by name. The current key is serialized once
 * for all state calls on it (compared by identity: the same key object is the same key).
 */
public final class NamedStateRegistry {

    private final String operator;
    private final StoreSerde<Object> keySerde;
    private final StateScope scope;
    private Declaration[] declared = new Declaration[0];
    private Object lastKey;
    private byte[] lastPrefix;

    /**
     * @param operator names the operator in errors, as {@code "process 'alarm'"}
     * @param keySerde the stream key's serde (the operator's, declared or inferred)
     */
    public NamedStateRegistry(String operator, Serde<Object> keySerde, StateScope scope) {
        this.operator = operator;
        this.keySerde = new StoreSerde<>(keySerde, operator, "key");
        this.scope = scope;
    }

    @SuppressWarnings("unchecked")
    public <T> ValueState<T> value(ValueStateSpec<T> spec) {
        return (ValueState<T>) declare(spec).handle;
    }

    @SuppressWarnings("unchecked")
    public <K, V> MapState<K, V> map(MapStateSpec<K, V> spec) {
        return (MapState<K, V>) declare(spec).handle;
    }

    @SuppressWarnings("unchecked")
    public <T> ListState<T> list(ListStateSpec<T> spec) {
        return (ListState<T>) declare(spec).handle;
    }

    private Declaration declare(StateSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException(operator + ": a named state needs a spec, got null");
        }
        for (Declaration declaration : declared) {
            if (declaration.spec == spec) {
                return declaration;
            }
        }
        for (Declaration declaration : declared) {
            if (declaration.spec.name().equals(spec.name())) {
                if (!declaration.sameAs(spec)) {
                    throw new StateDeclarationException(operator + ": state '" + spec.name() + "' is declared as "
                            + Declaration.describe(declaration.spec) + " and as " + Declaration.describe(spec)
                            + "; one name is one state: give the other one a name of its own");
                }
                return declaration;
            }
        }
        Declaration declaration = new Declaration(declared.length, spec);
        declaration.handle = handle(declaration);
        declared = Arrays.copyOf(declared, declared.length + 1);
        declared[declaration.index] = declaration;
        return declaration;
    }

    private Object handle(Declaration declaration) {
        String state = operator + " state '" + declaration.spec.name() + "'";
        if (declaration.spec instanceof ValueStateSpec<?> value) {
            return new NamedValueState<>(this, declaration, new StoreSerde<>(value.serde(), state, "value"));
        }
        if (declaration.spec instanceof ListStateSpec<?> list) {
            return new NamedListState<>(this, declaration, new StoreSerde<>(list.serde(), state, "element"));
        }
        MapStateSpec<?, ?> map = (MapStateSpec<?, ?>) declaration.spec;
        return new NamedMapState<>(this, declaration, new StoreSerde<>(map.keySerde(), state, "map key"),
                new StoreSerde<>(map.valueSerde(), state, "map value"));
    }

    /** The prefix of every entry of the current key (see {@link StateLayout}); never change it. */
    byte[] prefix() {
        Object key = scope.key();
        if (key != lastKey || lastPrefix == null) {
            lastPrefix = StateLayout.prefix(keySerde.serialize(key));
            lastKey = key;
        }
        return lastPrefix;
    }

    /** The current partition's table of {@code declaration}. */
    StateTable table(Declaration declaration) {
        return scope.namedStates().table(declaration);
    }

    /** The time an entry of a state with {@code ttl} must outlive to be seen now; {@code MIN_VALUE} without one. */
    long now(Ttl ttl) {
        if (ttl == null) {
            return Long.MIN_VALUE;
        }
        return ttl.domain() == TimeDomain.EVENT_TIME ? scope.currentWatermark() : scope.currentProcessingTime();
    }

    /** The expiry of an entry written now, under {@code ttl}: {@link StateLayout#NEVER} without one. */
    long expiry(Ttl ttl) {
        if (ttl == null) {
            return StateLayout.NEVER;
        }
        if (ttl.domain() == TimeDomain.PROCESSING_TIME) {
            return ttl.expiryOf(scope.currentProcessingTime());
        }
        // A processing-time timer's timestamp is a wall-clock time: event time is the watermark then.
        return ttl.expiryOf(scope.timeDomain() == TimeDomain.PROCESSING_TIME ? scope.currentWatermark()
                : scope.timestamp());
    }
}
