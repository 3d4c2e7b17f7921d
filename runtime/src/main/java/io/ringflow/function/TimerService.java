package io.ringflow.function;

/**
 * The timers of the current key of a keyed {@code process}, and the clocks they follow; as
 * Flink's {@code TimerService}. Get it from {@link KeyedProcessFunction.Context#timers()}.
 *
 * <p>A timer is one (key, timestamp) pair per time domain: registering the same timestamp twice
 * for a key gives one timer, which fires once. When it fires,
 * {@link KeyedProcessFunction#onTimer} runs with that key and that key's state.
 *
 * <ul>
 *   <li>An <b>event-time</b> timer fires when the watermark reaches its timestamp
 *       ({@code watermark >= timestamp}), before the watermark goes on to the next operators, so
 *       what {@code onTimer} emits is not late there. One that is already reached fires on the
 *       watermark's next advance. The watermark of a bounded input that ends is
 *       {@code Long.MAX_VALUE}: every event-time timer then fires.</li>
 *   <li>A <b>processing-time</b> timer fires when the shard's wall clock reaches its timestamp:
 *       the clock is read at the end of every batch of records and on every tick of the
 *       pipeline's timer thread (every {@value KeyedProcessFunction#PROCESSING_TIME_TICK_MILLIS} ms
 *       with a keyed {@code process}), so a timer fires up to one tick late on an idle shard.
 *       Timers still pending when the input ends do not fire; they stay in the state.</li>
 * </ul>
 *
 * <p>Cost: registering or deleting is a hash-table update in the store's write buffer, with no
 * allocation and no RocksDB call; the buffer is written in one batch when it fills, when timers
 * are due and at checkpoints. Timers are state: kept in RocksDB (or on the heap), checkpointed
 * and restored with the key's value, and a timer that fired is removed from it.
 */
public interface TimerService {

    /**
     * The shard's processing time, epoch milliseconds: the wall clock in a pipeline, the
     * driver's hand-advanced time in the {@code TopologyTestDriver}.
     */
    long currentProcessingTime();

    /**
     * The watermark event-time timers of this key fire against: the shard's (or, with shared
     * checkpoints, the record's partition's), {@code Long.MIN_VALUE} before there is one. In
     * {@code onTimer} of an event-time timer, the watermark that fired it.
     */
    long currentWatermark();

    /** Registers an event-time timer for the current key at {@code timestamp} (epoch ms). */
    void registerEventTimeTimer(long timestamp);

    /** Registers a processing-time timer for the current key at {@code timestamp} (epoch ms). */
    void registerProcessingTimeTimer(long timestamp);

    /** Deletes the current key's event-time timer at {@code timestamp}, if it has one. */
    void deleteEventTimeTimer(long timestamp);

    /** Deletes the current key's processing-time timer at {@code timestamp}, if it has one. */
    void deleteProcessingTimeTimer(long timestamp);
}
