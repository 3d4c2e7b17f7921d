package io.ringflow.internal.join;

/** Which unmatched records an interval join emits, with {@code null} for the missing side. */
public enum JoinType {
    /** Pairs only. */
    INNER(false, false),
    /** Pairs, and every left record that matched nothing. */
    LEFT(true, false),
    /** Pairs, and every record of either side that matched nothing. */
    OUTER(true, true);

    final boolean unmatchedLeft;
    final boolean unmatchedRight;

    JoinType(boolean unmatchedLeft, boolean unmatchedRight) {
        this.unmatchedLeft = unmatchedLeft;
        this.unmatchedRight = unmatchedRight;
    }

    /** Whether any unmatched record is emitted: then the watermark emits, and must be held back for it. */
    boolean emitsUnmatched() {
        return unmatchedLeft || unmatchedRight;
    }
}
