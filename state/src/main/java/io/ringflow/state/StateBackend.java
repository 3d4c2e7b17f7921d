package io.ringflow.state;

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

    /** Releases everything; call after every store is closed. */
    @Override
    void close();
}
