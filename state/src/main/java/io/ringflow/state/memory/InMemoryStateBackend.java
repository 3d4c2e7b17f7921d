package io.ringflow.state.memory;

import io.ringflow.state.KeyValueStore;
import io.ringflow.state.Serde;
import io.ringflow.state.StateBackend;
import io.ringflow.state.TimerStore;
import io.ringflow.state.WindowStore;
import io.ringflow.state.timers.BufferedTimerStore;

/** State on the heap: fast, bounded by the heap, gone when the process stops. */
public final class InMemoryStateBackend implements StateBackend {

    private static final int TIMER_BUFFER = 1024;

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

    /**
     * Timers in a sorted set on the heap, behind a buffer of {@value #TIMER_BUFFER} changes: a
     * timer added and removed again before the buffer is written costs no sorted-set work.
     * Each timer written costs its serialized key and a set entry.
     */
    @Override
    public <K> TimerStore<K> timerStore(int shard, String name, Serde<K> keySerde) {
        return new BufferedTimerStore<>(name, keySerde, new InMemoryTimerTable(name), TIMER_BUFFER);
    }

    @Override
    public void close() {
    }
}
