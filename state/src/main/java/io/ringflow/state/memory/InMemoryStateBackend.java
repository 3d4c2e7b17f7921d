package io.ringflow.state.memory;

import io.ringflow.state.KeyValueStore;
import io.ringflow.state.Serde;
import io.ringflow.state.StateBackend;
import io.ringflow.state.WindowStore;

/** State on the heap: fast, bounded by the heap, gone when the process stops. */
public final class InMemoryStateBackend implements StateBackend {

    /** A backend with no stores yet; each store is created on the heap when it is asked for. */
    public InMemoryStateBackend() {
    }

    @Override
    public <K, V> KeyValueStore<K, V> keyValueStore(int shard, String name, Serde<K> keySerde, Serde<V> valueSerde) {
        return new InMemoryKeyValueStore<>(name, keySerde);
    }

    @Override
    public <K, V> WindowStore<K, V> windowStore(int shard, String name, Serde<K> keySerde, Serde<V> valueSerde) {
        return new InMemoryWindowStore<>(name, keySerde);
    }

    @Override
    public void close() {
    }
}
