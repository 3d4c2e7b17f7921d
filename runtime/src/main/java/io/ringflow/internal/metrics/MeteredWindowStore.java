package io.ringflow.internal.metrics;

import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.WindowStore;
import io.ringflow.state.WindowedKey;

/**
 * Times a window store's fetches and puts for {@code ringflow.state.operation} on a sample
 * (see {@link SampledTimer}) and reports its size; everything else delegates.
 */
public final class MeteredWindowStore<K, V> implements WindowStore<K, V> {

    private final WindowStore<K, V> inner;
    private final StoreMeters meters;

    public MeteredWindowStore(WindowStore<K, V> inner, int shard, PipelineMetrics metrics) {
        this.inner = inner;
        this.meters = new StoreMeters(inner.name(), shard, "fetch", inner::estimatedEntries, metrics);
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void put(K key, long windowStart, V value) {
        meters.written();
        if (!meters.writes.sample()) {
            inner.put(key, windowStart, value);
            return;
        }
        long start = System.nanoTime();
        inner.put(key, windowStart, value);
        meters.writes.stop(start);
    }

    @Override
    public V fetch(K key, long windowStart) {
        if (!meters.reads.sample()) {
            return inner.fetch(key, windowStart);
        }
        long start = System.nanoTime();
        V value = inner.fetch(key, windowStart);
        meters.reads.stop(start);
        return value;
    }

    @Override
    public KeyValueIterator<Long, V> fetch(K key, long timeFrom, long timeTo) {
        return inner.fetch(key, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<WindowedKey<K>, V> fetchAll(long timeFrom, long timeTo) {
        return inner.fetchAll(timeFrom, timeTo);
    }

    @Override
    public void deleteOlderThan(long time) {
        inner.deleteOlderThan(time);
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
