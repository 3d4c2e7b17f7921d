package io.ringflow.internal.join;

import java.util.Arrays;

/**
 * The records of one key at one timestamp on one side of an interval join, in the order they
 * arrived, each with whether it has matched a record of the other side yet. A window store
 * holds one value per (key, timestamp), so records with equal timestamps share one; most
 * buckets hold one record. Written here rather than on a list state of the state module, which
 * is being built meanwhile: this one needs the matched flags beside the values anyway.
 */
final class Bucket {

    Object[] values;
    /** Only left and outer joins set these: an unmatched record is emitted once it expires. */
    boolean[] matched;
    int size;

    Bucket(Object first, boolean firstMatched) {
        values = new Object[] {first};
        matched = new boolean[] {firstMatched};
        size = 1;
    }

    Bucket(Object[] values, boolean[] matched) {
        this.values = values;
        this.matched = matched;
        this.size = values.length;
    }

    void add(Object value, boolean valueMatched) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
            matched = Arrays.copyOf(matched, size * 2);
        }
        values[size] = value;
        matched[size] = valueMatched;
        size++;
    }

    Object last() {
        return values[size - 1];
    }
}
