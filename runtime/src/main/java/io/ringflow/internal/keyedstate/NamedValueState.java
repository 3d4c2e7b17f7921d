package io.ringflow.internal.keyedstate;

import io.ringflow.function.ValueState;
import io.ringflow.state.StoreSerde;

/** A named {@link ValueState}: one entry per key, under the key's prefix alone. */
final class NamedValueState<T> implements ValueState<T> {

    private final NamedStateRegistry registry;
    private final Declaration declaration;
    private final StoreSerde<T> serde;

    NamedValueState(NamedStateRegistry registry, Declaration declaration, StoreSerde<T> serde) {
        this.registry = registry;
        this.declaration = declaration;
        this.serde = serde;
    }

    @Override
    public T value() {
        byte[] stored = registry.table(declaration).live(registry.prefix(), registry.now(declaration.spec.ttl()));
        return stored == null ? null : serde.deserialize(StateLayout.body(stored));
    }

    @Override
    public void update(T value) {
        if (value == null) {
            clear();
            return;
        }
        byte[] stored = StateLayout.stamp(registry.expiry(declaration.spec.ttl()), serde.serialize(value));
        registry.table(declaration).put(registry.prefix(), stored);
    }

    @Override
    public void clear() {
        registry.table(declaration).delete(registry.prefix());
    }
}
