package io.ringflow.windowing;

import io.ringflow.state.Serde;
import io.ringflow.state.WindowStore;

/**
 * Where a window spec's aggregation keeps its windows. The runtime hands one to
 * {@link WindowSpec#newAggregation} for each state partition it opens, with the partition,
 * the store's name and its key serde already chosen; the spec says what it keeps per window
 * (the aggregate itself, or a session's end with it) by the serde it opens the store with.
 *
 * @param <K> the record key
 * @param <A> the aggregate
 */
public interface WindowStores<K, A> {

    /** The aggregate's serde, as the topology chose it: from {@code Materialized}, the operation, or inferred. */
    Serde<A> aggregateSerde();

    /**
     * Opens the partition's store, one {@code S} per (key, window start) written with
     * {@code valueSerde}. An aggregation opens one store, once, when it is made.
     */
    <S> WindowStore<K, S> open(Serde<S> valueSerde);
}
