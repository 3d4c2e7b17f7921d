package io.ringflow;

import io.ringflow.watermark.Watermarks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The interval join's documented rules, written as plainly as possible, for differential tests.
 * A left record at {@code t} matches each right record of its key at {@code u} with
 * {@code t - before <= u <= t + after}; a record before the watermark it is judged against is
 * late and takes no part; every pair of records that are not late gives {@code "key l+r@max(t, u)"};
 * a left join adds {@code "key l+null@t+after"} for each left record with no pair, an outer join
 * also {@code "key null+r@u+before"} for each such right record. Records are
 * {@code "key,timestamp,name"} on the left or right input.
 */
final class IntervalJoinReferenceModel {

    /** One record of one input. */
    record Rec(boolean left, String key, long time, String name) {
        String line() {
            return key + "," + time + "," + name;
        }
    }

    enum Type { INNER, LEFT, OUTER }

    private IntervalJoinReferenceModel() {
    }

    /** Every result of the records that are not late, as {@code "key l+r@time"}, sorted. */
    static List<String> results(List<Rec> records, Set<Rec> late, Type type, long before, long after) {
        List<String> results = new ArrayList<>();
        Set<Rec> matched = new HashSet<>();
        for (Rec a : records) {
            for (Rec b : records) {
                if (a.left && !b.left && !late.contains(a) && !late.contains(b) && a.key.equals(b.key)
                        && b.time >= a.time - before && b.time <= a.time + after) {
                    results.add(a.key + " " + a.name + "+" + b.name + "@" + Math.max(a.time, b.time));
                    matched.add(a);
                    matched.add(b);
                }
            }
        }
        for (Rec r : records) {
            if (late.contains(r) || matched.contains(r)) {
                continue;
            }
            if (r.left && type != Type.INNER) {
                results.add(r.key + " " + r.name + "+null@" + (r.time + after));
            } else if (!r.left && type == Type.OUTER) {
                results.add(r.key + " null+" + r.name + "@" + (r.time + before));
            }
        }
        results.sort(null);
        return results;
    }

    /**
     * The late records when each input is its own source reader, as in a pipeline: a record is
     * late when it is before its own input's watermark (the largest timestamp before it on that
     * input, less {@code outOfOrderness}).
     */
    static Set<Rec> latePerInput(List<Rec> records, long outOfOrderness) {
        Set<Rec> late = new HashSet<>();
        long maxLeft = Watermarks.NONE;
        long maxRight = Watermarks.NONE;
        for (Rec r : records) {
            long max = r.left ? maxLeft : maxRight;
            if (max != Watermarks.NONE && r.time < max - outOfOrderness) {
                late.add(r);
            }
            if (r.left) {
                maxLeft = Math.max(maxLeft, r.time);
            } else {
                maxRight = Math.max(maxRight, r.time);
            }
        }
        return late;
    }

    /**
     * The late records on the test driver, whose one watermark is the minimum of both inputs'
     * (never moving back), piped in this order.
     */
    static Set<Rec> lateOnDriver(List<Rec> records, long outOfOrderness) {
        Set<Rec> late = new HashSet<>();
        long maxLeft = Watermarks.NONE;
        long maxRight = Watermarks.NONE;
        long watermark = Watermarks.NONE;
        for (Rec r : records) {
            if (r.time < watermark) {
                late.add(r);
            }
            if (r.left) {
                maxLeft = Math.max(maxLeft, r.time);
            } else {
                maxRight = Math.max(maxRight, r.time);
            }
            if (maxLeft != Watermarks.NONE && maxRight != Watermarks.NONE) {
                watermark = Math.max(watermark, Math.min(maxLeft, maxRight) - outOfOrderness);
            }
        }
        return late;
    }
}
