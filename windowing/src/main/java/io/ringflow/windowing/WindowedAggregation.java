package io.ringflow.windowing;

/**
 * The logic of one shard's windowed aggregation, free of threads and rings: it takes records
 * with the watermark they arrive under, keeps one aggregate per (key, window) in a window
 * store, emits results as the {@link EmitStrategy} says, hands late records to the late
 * handler, and deletes a window's state once it has closed, so state stays bounded on an
 * endless stream. The runtime drives it from a shard's thread; the test driver from the
 * test's. Not thread-safe.
 */
public interface WindowedAggregation<K, V, A> {

    /** How values are folded into a window's aggregate. */
    interface Aggregate<K, V, A> {
        /** The aggregate of a window before its first record. */
        A initial() throws Exception;

        /** Folds {@code value} into {@code aggregate}. */
        A add(K key, V value, A aggregate) throws Exception;

        /** Combines the aggregates of two sessions that a record has joined (sessions only). */
        default A merge(K key, A left, A right) throws Exception {
            throw new UnsupportedOperationException("session windows need a merger to combine two sessions'"
                    + " aggregates; give one to aggregate(initializer, aggregator, merger)");
        }
    }

    /** Receives results. */
    @FunctionalInterface
    interface Results<K, A> {
        /** A result of {@code window} for {@code key}; {@code timestamp} is the window's last millisecond. */
        void emit(K key, Window window, A aggregate, long timestamp);
    }

    /**
     * Receives records that came after every window they belong to had closed (for sessions:
     * the session they would join, merged with its neighbours).
     */
    @FunctionalInterface
    interface LateRecords<K, V> {
        void late(K key, V value, long timestamp);
    }

    /**
     * Adds a record.
     *
     * @param watermark the watermark the record arrived under ({@code Watermarks.NONE} if there is none yet)
     * @return {@code false} if the record was late: counted in no window, given to the late handler
     */
    boolean onRecord(K key, V value, long timestamp, long watermark) throws Exception;

    /** The watermark advanced: emit the windows it closes (onWindowClose) and delete their state. */
    void onWatermark(long watermark);

    /** Processing time passed (epoch milliseconds): emits what {@code everyInterval} has due. */
    void onProcessingTime(long nowMillis);

    /** Number of live windows, for tests and metrics; an estimate on RocksDB. */
    long liveWindows();
}
