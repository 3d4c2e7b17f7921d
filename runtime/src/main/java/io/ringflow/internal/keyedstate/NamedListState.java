package io.ringflow.internal.keyedstate;

import io.ringflow.function.ListState;
import io.ringflow.state.StoreEntry;
import io.ringflow.state.StoreSerde;
import java.util.ArrayList;
import java.util.List;

/**
 * A named {@link ListState}. Why one store entry per element, numbered by a per-key sequence
 * kept in one more entry (at the key's prefix), rather than the whole list in one value: an
 * add then writes the new element and the sequence, a constant cost, where one value would be
 * read, decoded, grown and written back whole on every add (a cost growing with the list, and
 * an allocation of its size). Each element carrying its own expiry is what a per-element TTL
 * needs, too. The price is paid by {@link #get}: a scan of the key's entries rather than one
 * read; the sequence entry also counts the elements stored, so the cleanup of the last expired
 * element removes it and an expired list leaves nothing behind.
 */
final class NamedListState<T> implements ListState<T> {

    private final NamedStateRegistry registry;
    private final Declaration declaration;
    private final StoreSerde<T> serde;

    NamedListState(NamedStateRegistry registry, Declaration declaration, StoreSerde<T> serde) {
        this.registry = registry;
        this.declaration = declaration;
        this.serde = serde;
    }

    @Override
    public List<T> get() {
        long now = registry.now(declaration.spec.ttl());
        List<T> elements = new ArrayList<>();
        for (StoreEntry<StateKey, byte[]> stored : registry.table(declaration).scan(registry.prefix())) {
            if (StateLayout.expiry(stored.value()) > now) {
                elements.add(serde.deserialize(StateLayout.body(stored.value())));
            }
        }
        return elements;
    }

    @Override
    public void add(T element) {
        StateTable table = registry.table(declaration);
        byte[] prefix = registry.prefix();
        byte[] sequence = table.sequence(prefix);
        long next = StateTable.next(sequence);
        long stored = StateTable.elements(sequence);
        table.putNew(StateLayout.element(prefix, next), stamped(element));
        table.writeSequence(prefix, next + 1, stored + 1);
    }

    @Override
    public void addAll(List<T> elements) {
        if (elements.isEmpty()) {
            return;
        }
        StateTable table = registry.table(declaration);
        byte[] prefix = registry.prefix();
        byte[] sequence = table.sequence(prefix);
        long next = StateTable.next(sequence);
        long stored = StateTable.elements(sequence);
        for (T element : elements) {
            table.putNew(StateLayout.element(prefix, next++), stamped(element));
            stored++;
        }
        table.writeSequence(prefix, next, stored);
    }

    private byte[] stamped(T element) {
        if (element == null) {
            throw new IllegalArgumentException("a list state cannot hold null");
        }
        return StateLayout.stamp(registry.expiry(declaration.spec.ttl()), serde.serialize(element));
    }

    @Override
    public void update(List<T> elements) {
        for (T element : elements) {
            if (element == null) {
                throw new IllegalArgumentException("a list state cannot hold null"); // before anything is cleared
            }
        }
        clear();
        addAll(elements);
    }

    @Override
    public void clear() {
        StateTable table = registry.table(declaration);
        byte[] prefix = registry.prefix();
        for (StoreEntry<StateKey, byte[]> stored : table.scan(prefix)) {
            table.delete(stored.key().bytes());
        }
        table.writeSequence(prefix, 0, 0);
    }
}
