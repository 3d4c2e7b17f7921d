package io.ringflow.internal.join;

import io.ringflow.Materialized;
import io.ringflow.internal.operator.OperatorContext;
import io.ringflow.watermark.Watermarks;

/**
 * One state partition of an interval join on one shard: both sides' buffered records. The left
 * side's store has the partition's store name, the right side's that name plus {@link #RIGHT},
 * so a checkpoint, a drop and an import of the partition take both, and a restore finds the
 * partition by its left store as it finds any keyed operator's.
 */
final class JoinPartition {

    /** Suffix of the right side's store (a RocksDB column family, with its time index, beside the left's). */
    static final String RIGHT = ".right";

    final JoinSide left;
    final JoinSide right;
    /** With partitioned event time: the partition's watermark as the operator last applied it. */
    long watermark = Watermarks.NONE;

    private JoinPartition(JoinSide left, JoinSide right) {
        this.left = left;
        this.right = right;
    }

    /**
     * Opens partition {@code partition}'s stores, with whatever an earlier run or an import left.
     * A left record at {@code t} matches right records in {@code [t - before, t + after]}, so a
     * right record at {@code u} matches left records in {@code [u - after, u + before]}.
     */
    static JoinPartition open(OperatorContext context, JoinSpec spec, int partition, BucketSerde leftSerde,
                              BucketSerde rightSerde) {
        Materialized<?, ?> materialized = spec.materialized();
        JoinSide left = new JoinSide(context.windowStore(materialized, "", leftSerde, partition),
                spec.before(), spec.after(), spec.type().unmatchedLeft);
        JoinSide right = new JoinSide(context.windowStore(materialized, RIGHT, rightSerde, partition),
                spec.after(), spec.before(), spec.type().unmatchedRight);
        return new JoinPartition(left, right);
    }

    /** The lowest watermark that may emit an unmatched record of this partition; {@code MAX_VALUE}: none can. */
    long nextUnmatched() {
        return Math.min(left.emitsUnmatched ? left.nextExpiry() : Long.MAX_VALUE,
                right.emitsUnmatched ? right.nextExpiry() : Long.MAX_VALUE);
    }

    /** Whether the watermark reaching {@code watermark} expires anything of this partition. */
    boolean expiresBy(long watermark) {
        return watermark >= Math.min(left.nextExpiry(), right.nextExpiry());
    }

    /** Writes both stores through and releases them, the right one even if the left fails. */
    void close() {
        try {
            left.store.close();
        } finally {
            right.store.close();
        }
    }
}
