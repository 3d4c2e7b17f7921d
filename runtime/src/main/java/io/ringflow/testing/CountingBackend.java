package io.ringflow.testing;

import io.ringflow.state.KeyValueStore;
import io.ringflow.state.Serde;
import io.ringflow.state.StateBackend;
import io.ringflow.state.TimerStore;
import io.ringflow.state.VersionedStore;
import io.ringflow.state.WindowStore;
import io.ringflow.state.memory.InMemoryStateBackend;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/** The driver's heap backend, which remembers each key-value, timer and versioned store it opened, to count their entries. */
final class CountingBackend implements StateBackend {

    private final InMemoryStateBackend heap = new InMemoryStateBackend();
    /** By store name: the last store of that name opened (a partition's store may be opened again). */
    private final Map<String, LongSupplier> counts = new HashMap<>();

    @Override
    public <K, V> KeyValueStore<K, V> keyValueStore(int shard, String name, Serde<K> keySerde, Serde<V> valueSerde) {
        KeyValueStore<K, V> store = heap.keyValueStore(shard, name, keySerde, valueSerde);
        counts.put(name, store::approximateNumEntries);
        return store;
    }

    @Override
    public <K, V> WindowStore<K, V> windowStore(int shard, String name, Serde<K> keySerde, Serde<V> valueSerde) {
        return heap.windowStore(shard, name, keySerde, valueSerde);
    }

    @Override
    public <K> TimerStore<K> timerStore(int shard, String name, Serde<K> keySerde) {
        TimerStore<K> store = heap.timerStore(shard, name, keySerde);
        counts.put(name, store::approximateNumEntries);
        return store;
    }

    @Override
    public <K, V> VersionedStore<K, V> versionedStore(int shard, String name, Serde<K> keySerde, Serde<V> valueSerde) {
        VersionedStore<K, V> store = heap.versionedStore(shard, name, keySerde, valueSerde);
        counts.put(name, store::approximateNumEntries);
        return store;
    }

    /** The entries store {@code name} holds now, exact; {@code -1} if no store of that name was opened. */
    long entries(String name) {
        LongSupplier count = counts.get(name);
        return count == null ? -1 : count.getAsLong();
    }

    @Override
    public void close() {
        heap.close();
    }
}
