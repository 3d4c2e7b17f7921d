package io.ringflow.internal.metrics;

import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.KeyValueStore;

/**
 * Times a store's reads and writes for {@code ringflow.state.operation} on a sample (see
 * {@link SampledTimer}) and reports its size; everything else delegates.
 */
public final class MeteredKeyValueStore<K, V> implements KeyValueStore<K, V> {

    private final KeyValueStore<K, V> inner;
    private final StoreMeters meters;

    public MeteredKeyValueStore(KeyValueStore<K, V> inner, int shard, PipelineMetrics metrics) {
        this.inner = inner;
        this.meters = new StoreMeters(inner.name(), shard, "get", inner::estimatedEntries, metrics);
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public V get(K key) {
        if (!meters.reads.sample()) {
            return inner.get(key);
        }
        long start = System.nanoTime();
        V value = inner.get(key);
        meters.reads.stop(start);
        return value;
    }

    @Override
    public void put(K key, V value) {
        meters.written();
        if (!meters.writes.sample()) {
            inner.put(key, value);
            return;
        }
        long start = System.nanoTime();
        inner.put(key, value);
        meters.writes.stop(start);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return inner.putIfAbsent(key, value);
    }

    @Override
    public V delete(K key) {
        return inner.delete(key);
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        return inner.range(from, to);
    }

    @Override
    public KeyValueIterator<K, V> prefixScan(K prefix) {
        return inner.prefixScan(prefix);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return inner.all();
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }

    @Override
    public long estimatedEntries() {
        return inner.estimatedEntries();
    }

    @Override
    public void endOfBatch() {
        inner.endOfBatch();
    }

    @Override
    public void flush() {
        inner.flush();
        meters.recount();
    }

    /** Stops reporting this store's size: it was closed for good while the pipeline runs (its partition moved away). */
    public void removeMeters() {
        meters.close();
    }

    @Override
    public void close() {
        inner.close();
    }
}
