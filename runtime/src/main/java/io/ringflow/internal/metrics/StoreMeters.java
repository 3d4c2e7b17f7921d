package io.ringflow.internal.metrics;

import io.micrometer.core.instrument.Gauge;
import java.util.function.LongSupplier;

/**
 * What one shard's instance of a store feeds: a sampled timer for its reads and one for its
 * writes ({@code ringflow.state.operation}), and its size ({@code ringflow.state.entries}).
 */
final class StoreMeters {

    final SampledTimer reads;
    final SampledTimer writes;
    private final EntriesSnapshot entries;
    private final Gauge entriesGauge;
    private final PipelineMetrics metrics;

    StoreMeters(String store, int shard, String readOperation, LongSupplier estimatedEntries, PipelineMetrics metrics) {
        this.reads = new SampledTimer(metrics.storeOperation(store, readOperation));
        this.writes = new SampledTimer(metrics.storeOperation(store, "put"));
        this.entries = new EntriesSnapshot(estimatedEntries);
        this.entriesGauge = metrics.storeEntries(store, shard, entries::entries);
        this.metrics = metrics;
    }

    /** The store is closed: its size is no longer reported (a store of the same name may open again). */
    void close() {
        metrics.remove(entriesGauge);
    }

    /** After each write: now and then the size is re-estimated. */
    void written() {
        entries.written();
    }

    /** After a flush, when the estimate is cheap and exact. */
    void recount() {
        entries.recount();
    }
}
