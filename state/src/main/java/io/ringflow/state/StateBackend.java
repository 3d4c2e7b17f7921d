package io.ringflow.state;

import java.nio.file.Path;
import java.util.Set;

/**
 * Where a pipeline's keyed state lives: creates each shard's stores, and owns whatever they
 * share (RocksDB databases, the memory budget). Stores of one shard are created and used by
 * that shard's thread only; different shards may call concurrently.
 */
public interface StateBackend extends AutoCloseable {

    /** Shard {@code shard}'s store named {@code name}, reopened with its data if it already exists. */
    <K, V> KeyValueStore<K, V> keyValueStore(int shard, String name, Serde<K> keySerde, Serde<V> valueSerde);

    /** Shard {@code shard}'s window store named {@code name}. */
    <K, V> WindowStore<K, V> windowStore(int shard, String name, Serde<K> keySerde, Serde<V> valueSerde);

    /**
     * Shard {@code shard}'s timer store named {@code name}, reopened with its timers if it
     * already exists. Its keys are ordered by their {@code keySerde} bytes.
     */
    <K> TimerStore<K> timerStore(int shard, String name, Serde<K> keySerde);

    /**
     * Shard {@code shard}'s versioned store named {@code name}, reopened with its history if it
     * already exists; whatever else it keeps (an expiry index) is named {@code name} plus a suffix
     * starting with a dot, so it moves with the store.
     *
     * @throws UnsupportedOperationException if this backend keeps no versioned state
     */
    default <K, V> VersionedStore<K, V> versionedStore(int shard, String name, Serde<K> keySerde,
                                                     Serde<V> valueSerde) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no versioned stores");
    }

    /**
     * The names of shard {@code shard}'s stores that hold data from an earlier run or an import
     * (a window store's index shows as its own name plus a suffix). Empty for state that does
     * not outlive its store objects.
     */
    default Set<String> storeNames(int shard) {
        return Set.of();
    }

    /**
     * Deletes shard {@code shard}'s store {@code name} and everything in it; the store's
     * objects must be closed first. For keyed state that moved to another instance.
     */
    default void dropStore(int shard, String name) {
    }

    /**
     * Replaces shard {@code shard}'s store {@code name} with the copy in a checkpoint directory,
     * for keyed state that moves here from another instance.
     *
     * @throws UnsupportedOperationException if this backend has no checkpoints
     */
    default void importStore(int shard, String name, Path checkpoint) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no checkpoints to import from");
    }

    /** Releases everything; call after every store is closed. */
    @Override
    void close();
}
