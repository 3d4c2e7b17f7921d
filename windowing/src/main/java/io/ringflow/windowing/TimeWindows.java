package io.ringflow.windowing;

/**
 * Windows of fixed size laid on the time line independently of the data: tumbling and
 * hopping. A record belongs to every window whose span contains its timestamp.
 */
public sealed interface TimeWindows extends WindowSpec permits TumblingWindows, HoppingWindows {

    long sizeMillis();

    /**
     * How far apart two consecutive windows start: windows start at multiples of it (epoch
     * aligned), so none closes until the watermark crosses the next multiple.
     */
    long advanceMillis();

    /** The most windows one record can belong to: the length of the array {@link #windowsFor} fills. */
    int maxWindowsPerRecord();

    /**
     * Writes the starts of the windows containing {@code timestamp} into {@code starts}, in
     * ascending order, and returns how many there are (0 for a record that falls in a gap
     * between hopping windows). No allocation.
     *
     * @throws IllegalArgumentException when a window holding {@code timestamp} would start
     *                                  before {@code Long.MIN_VALUE} or end after {@code Long.MAX_VALUE}
     *                                  (no such window can be represented); the message says so
     *                                  and what to do
     */
    int windowsFor(long timestamp, long[] starts);

    /** Windows on a fixed grid never merge. */
    @Override
    default boolean isMerging() {
        return false;
    }

    /** A {@link TimeWindowAggregation}, keeping each window's aggregate itself. */
    @Override
    default <K, V, A> WindowedAggregation<K, V, A> newAggregation(EmitStrategy emit, WindowStores<K, A> stores,
                                                                  WindowedAggregation.Aggregate<K, V, A> aggregate,
                                                                  WindowedAggregation.Results<K, A> results,
                                                                  WindowedAggregation.LateRecords<K, V> late) {
        return new TimeWindowAggregation<>(this, emit, stores.open(stores.aggregateSerde()), aggregate, results, late);
    }
}
