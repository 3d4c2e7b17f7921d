package io.ringflow.windowing;

import java.time.Duration;

/**
 * Windows shaped by the data: a key's records less than {@code gap} apart are one session,
 * {@code [first timestamp, last timestamp + gap)}. A record that falls between two sessions
 * of its key, within the gap of both, merges them into one.
 *
 * <pre>{@code SessionWindows.withGap(Duration.ofMinutes(5)).grace(Duration.ofSeconds(30))}</pre>
 */
public record SessionWindows(long gapMillis, long graceMillis) implements WindowSpec {

    public static SessionWindows withGap(Duration gap) {
        return new SessionWindows(Durations.positive(gap, "session gap"), 0);
    }

    /**
     * The same sessions, accepting records until {@code grace} after a session's end. A record
     * is late only when the session it would make (its own {@code [t, t + gap)} merged with every
     * session of its key it overlaps) is closed: {@code watermark >= end + grace}.
     */
    public SessionWindows grace(Duration grace) {
        return new SessionWindows(gapMillis, Durations.grace(grace));
    }

    /** A record that bridges two sessions of its key merges them. */
    @Override
    public boolean isMerging() {
        return true;
    }

    /** A {@link SessionWindowAggregation}, keeping each session's end with its aggregate ({@link SessionState}). */
    @Override
    public <K, V, A> WindowedAggregation<K, V, A> newAggregation(EmitStrategy emit, WindowStores<K, A> stores,
                                                                 WindowedAggregation.Aggregate<K, V, A> aggregate,
                                                                 WindowedAggregation.Results<K, A> results,
                                                                 WindowedAggregation.LateRecords<K, V> late) {
        return new SessionWindowAggregation<>(this, emit, stores.open(SessionState.serde(stores.aggregateSerde())),
                aggregate, results, late);
    }
}
