package io.ringflow.internal.join;

import io.ringflow.Materialized;
import io.ringflow.internal.operator.OperatorContext;
import io.ringflow.state.InferredSerde;
import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.Serde;
import io.ringflow.state.VersionedStore;
import io.ringflow.state.WindowStore;
import io.ringflow.state.WindowedKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One state partition of an as-of join on one shard: the stream records waiting for the
 * watermark, and the table's versions. The waiting records are a window store keyed by
 * (key, timestamp), named after the partition, so its time index hands them over in time order
 * and a restore finds the partition; the versions are a versioned store named after it plus a
 * suffix, so checkpoints, drops and imports take both.
 */
final class AsOfPartition {

    /** Stream values by (key, timestamp), each entry the values of that pair in arrival order. */
    final WindowStore<Object, List<Object>> pending;
    final VersionedStore<Object, Object> versions;
    /**
     * No waiting record is earlier: {@code Long.MIN_VALUE} when opened (with whatever a restore
     * or an import left), then the bound after the last release or an earlier record awaited.
     */
    long pendingMin = Long.MIN_VALUE;

    private AsOfPartition(WindowStore<Object, List<Object>> pending, VersionedStore<Object, Object> versions) {
        this.pending = pending;
        this.versions = versions;
    }

    @SuppressWarnings("unchecked")
    static AsOfPartition open(OperatorContext context, Materialized<?, ?> streamState, Materialized<?, ?> tableState,
                              String tableSuffix, int partition) {
        Serde<Object> values = streamState.valueSerde() != null ? (Serde<Object>) streamState.valueSerde()
                : new InferredSerde<>(context.name(), "value");
        WindowStore<Object, List<Object>> pending =
                context.windowStore(streamState, new PendingValuesSerde(values), partition);
        return new AsOfPartition(pending, context.versionedStore(tableState, tableSuffix, partition));
    }

    /** Adds a stream value to those waiting at (key, timestamp). Cost: one read and one write of that entry. */
    void await(Object key, Object value, long timestamp) {
        List<Object> before = pending.fetch(key, timestamp);
        List<Object> after;
        if (before == null) {
            after = Collections.singletonList(value);
        } else {
            // A new list: the store (a cache, the heap) may hold the old one and must see it unchanged.
            after = new ArrayList<>(before.size() + 1);
            after.addAll(before);
            after.add(value);
        }
        pending.put(key, timestamp, after);
        pendingMin = Math.min(pendingMin, timestamp);
    }

    /** The records waiting at or before {@code upTo}, by time, then key bytes; close it before writing. */
    KeyValueIterator<WindowedKey<Object>, List<Object>> due(long upTo) {
        return pending.fetchAll(pendingMin, upTo);
    }

    /**
     * Deletes what {@link #due} handed over. What is left is later than {@code upTo}; that bound
     * is kept rather than the earliest record left, which would cost a read of everything still
     * waiting (a heap store's range is a sorted copy), so the next advance reads one empty range
     * when nothing is due.
     */
    void handedOver(long upTo) {
        pending.deleteOlderThan(upTo == Long.MAX_VALUE ? Long.MAX_VALUE : upTo + 1);
        pendingMin = upTo == Long.MAX_VALUE ? Long.MAX_VALUE : upTo + 1;
    }

    void close() {
        try {
            pending.close();
        } finally {
            versions.close();
        }
    }
}
