package io.ringflow.internal.join;

import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.StoreEntry;
import io.ringflow.state.WindowStore;
import io.ringflow.state.WindowedKey;

/**
 * One side's buffered records of one state partition of an interval join: a window store keyed
 * by (key, record timestamp), whose time index lets the watermark expire every key's records in
 * time order with one scan, so no timer per record is needed. A record of this side at {@code t}
 * matches the other side's records in {@code [t - lookBack, t + lookAhead]}, and expires once
 * the watermark passes {@code t + lookAhead}: no record of the other side that is not late can
 * match it after that.
 */
final class JoinSide {

    /** Receives each expired record that never matched. */
    interface Unmatched {
        void unmatched(Object key, Object value, long timestamp);
    }

    final WindowStore<Object, Bucket> store;
    final long lookBack;
    final long lookAhead;
    final boolean emitsUnmatched;
    /**
     * No record here is earlier than this, none later than {@link #highest}; {@code lowest >
     * highest}: none at all. Unknown after a restore ({@code MIN_VALUE}, {@code MAX_VALUE}).
     */
    private long lowest = Long.MIN_VALUE;
    private long highest = Long.MAX_VALUE;

    JoinSide(WindowStore<Object, Bucket> store, long lookBack, long lookAhead, boolean emitsUnmatched) {
        this.store = store;
        this.lookBack = lookBack;
        this.lookAhead = lookAhead;
        this.emitsUnmatched = emitsUnmatched;
    }

    /** Buffers {@code value} of {@code key} at {@code timestamp}. Cost: one point read, one write. */
    void add(Object key, Object value, long timestamp, boolean matched) {
        Bucket bucket = store.fetch(key, timestamp);
        if (bucket == null) {
            bucket = new Bucket(value, matched);
        } else {
            bucket.add(value, matched);
        }
        store.put(key, timestamp, bucket);
        lowest = Math.min(lowest, timestamp);
        highest = Math.max(highest, timestamp);
    }

    /** The other side's matches of a record of this side at {@code timestamp}: a range read of one key. */
    KeyValueIterator<Long, Bucket> matchesOf(JoinSide arriving, Object key, long timestamp) {
        return store.fetch(key, Times.minus(timestamp, arriving.lookBack), Times.plus(timestamp, arriving.lookAhead));
    }

    /** The lowest watermark that may expire a record of this side; {@code MAX_VALUE} when it holds none. */
    long nextExpiry() {
        return lowest > highest ? Long.MAX_VALUE : Times.plus(Times.plus(lowest, lookAhead), 1);
    }

    /** Records before this expire once the watermark is {@code watermark}: {@code t + lookAhead < watermark}. */
    private long cutoff(long watermark) {
        return watermark == Long.MAX_VALUE ? Long.MAX_VALUE : Times.minus(watermark, lookAhead);
    }

    /**
     * Deletes every record the watermark {@code watermark} expires, first handing those that
     * never matched to {@code unmatched} (if this side emits them), in time order, then key bytes,
     * then arrival, each at the time it expired: {@code t + lookAhead}. Cost: nothing when
     * nothing can expire; else one scan of the time index over what expires.
     */
    void expire(long watermark, Unmatched unmatched) {
        long cutoff = cutoff(watermark);
        if (lowest > highest || cutoff <= lowest) {
            return;
        }
        if (emitsUnmatched) {
            try (KeyValueIterator<WindowedKey<Object>, Bucket> expired = store.fetchAll(lowest, cutoff - 1)) {
                while (expired.hasNext()) {
                    StoreEntry<WindowedKey<Object>, Bucket> entry = expired.next();
                    Bucket bucket = entry.value();
                    for (int i = 0; i < bucket.size; i++) {
                        if (!bucket.matched[i]) {
                            unmatched.unmatched(entry.key().key(), bucket.values[i],
                                    Times.plus(entry.key().windowStart(), lookAhead));
                        }
                    }
                }
            }
        }
        store.deleteOlderThan(cutoff);
        if (highest < cutoff) {
            lowest = Long.MAX_VALUE;
            highest = Long.MIN_VALUE;
        } else {
            lowest = cutoff;
        }
    }
}
