package io.ringflow.internal.metrics;

import io.micrometer.core.instrument.Gauge;
import io.ringflow.state.TimerStore;

/**
 * Reports a timer store's size as {@code ringflow.state.entries} (tagged with the store's name,
 * {@code <operator>.event-timers} or {@code .processing-timers}), re-estimated by the shard's
 * own thread now and then and after every poll that fired timers: a store that only grows is
 * a timer leak. Everything else delegates.
 */
public final class MeteredTimerStore<K> implements TimerStore<K> {

    private final TimerStore<K> inner;
    private final EntriesSnapshot entries;
    private final Gauge gauge;
    private final PipelineMetrics metrics;

    public MeteredTimerStore(TimerStore<K> inner, int shard, PipelineMetrics metrics) {
        this.inner = inner;
        this.entries = new EntriesSnapshot(inner::estimatedEntries);
        this.gauge = metrics.storeEntries(inner.name(), shard, entries::entries);
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void add(long time, K key) {
        inner.add(time, key);
        entries.written();
    }

    @Override
    public void remove(long time, K key) {
        inner.remove(time, key);
        entries.written();
    }

    @Override
    public int pollUpTo(long upTo, Expired<K> expired) {
        int fired = inner.pollUpTo(upTo, expired);
        if (fired > 0) {
            entries.recount();
        }
        return fired;
    }

    @Override
    public long lowerBound() {
        return inner.lowerBound();
    }

    @Override
    public long earliestTime() {
        return inner.earliestTime();
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
        entries.recount();
    }

    @Override
    public void close() {
        inner.close();
    }

    /** The store is gone (its partition left): its size is no longer reported. */
    public void removeMeters() {
        metrics.remove(gauge);
    }
}
