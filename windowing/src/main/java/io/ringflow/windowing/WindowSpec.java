package io.ringflow.windowing;

/**
 * What every kind of window has: how long it stays open for late records after its end, and
 * the aggregation that keeps windows of its kind. Each kind makes its own aggregation, as
 * Flink's {@code WindowAssigner} and Kafka Streams' {@code Windows} carry their own behaviour,
 * so a new kind of window is one new class (and its name in the {@code permits} list).
 */
public sealed interface WindowSpec permits TimeWindows, SessionWindows {

    /**
     * How long after a window's end it still accepts records: it closes when
     * {@code watermark >= end + grace}, and a record for a closed window is late.
     */
    long graceMillis();

    /**
     * Whether a record can join two windows of its key into one, as it does two sessions it
     * bridges: an aggregate over such windows needs a merger for their aggregates.
     */
    boolean isMerging();

    /**
     * A new aggregation over windows of this kind for one state partition, keeping its windows
     * in the store it opens from {@code stores}. The runtime calls it once per state partition
     * it opens, never per record.
     */
    <K, V, A> WindowedAggregation<K, V, A> newAggregation(EmitStrategy emit, WindowStores<K, A> stores,
                                                          WindowedAggregation.Aggregate<K, V, A> aggregate,
                                                          WindowedAggregation.Results<K, A> results,
                                                          WindowedAggregation.LateRecords<K, V> late);
}
