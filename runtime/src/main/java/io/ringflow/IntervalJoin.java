package io.ringflow;

import io.ringflow.internal.graph.Node;
import java.time.Duration;

/**
 * Two keyed streams about to be interval-joined ({@link KeyedStream#intervalJoin}): say how far
 * apart in event time two records of a key may be with {@link #between}.
 *
 * @param <K> the key type of both streams
 * @param <A> the left stream's values
 * @param <B> the right stream's values
 */
public final class IntervalJoin<K, A, B> {

    private final StreamBuilder builder;
    private final Node left;
    private final Node right;

    IntervalJoin(StreamBuilder builder, Node left, Node right) {
        this.builder = builder;
        this.left = left;
        this.right = right;
    }

    /**
     * A left record at {@code t} matches the right records of its key with a timestamp in
     * {@code [t - before, t + after]}, both ends included, as Flink's
     * {@code between(-before, after)}. The interval also bounds the state: a left record is
     * kept until the watermark passes {@code t + after}, a right one at {@code u} until it passes
     * {@code u + before}.
     *
     * <pre>{@code
     * clicks.intervalJoin(views).between(Duration.ofSeconds(5), Duration.ZERO)  // a view up to 5 s before
     * }</pre>
     *
     * @throws TopologyException if either is negative (a negative bound, "only right records
     *         strictly after", is not supported), or longer than {@code Long.MAX_VALUE} ms
     */
    public IntervalJoined<K, A, B> between(Duration before, Duration after) {
        return new IntervalJoined<>(builder, left, right, millis("before", before), millis("after", after), null, null);
    }

    private static long millis(String name, Duration bound) {
        StreamBuilder.requireNonNull(bound, name);
        if (bound.isNegative()) {
            throw new TopologyException("intervalJoin: between(before, after) takes bounds of 0 or more, got " + name
                    + " = " + bound + "; a right record matches a left record at t when its time is in"
                    + " [t - before, t + after], and negative bounds are not supported");
        }
        try {
            return bound.toMillis();
        } catch (ArithmeticException e) {
            throw new TopologyException("intervalJoin: " + name + " = " + bound + " is longer than Long.MAX_VALUE ms");
        }
    }
}
