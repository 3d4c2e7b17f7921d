package io.ringflow.error;

/**
 * A record whose processing threw, with everything needed to find and replay it: the
 * operator that threw, the record's key, value and timestamp, and the exception.
 *
 * @param operator name of the operator (or source) that failed
 * @param kind     what that operator does, for example {@code map} or {@code sink}
 * @param shard    shard of the stage that ran it
 * @param key      key of the record, {@code null} on an unkeyed stream
 * @param value    the value the operator was given (for a source, the raw input)
 * @param timestamp event timestamp of the record, epoch milliseconds
 * @param cause    what the operator threw
 */
public record FailedRecord(
        String operator, String kind, int shard, Object key, Object value, long timestamp, Throwable cause) {

    private static final int MAX_SHOWN = 200;

    /** One line for logs and exception messages; long values are cut to keep logs readable. */
    public String describe() {
        return kind + " '" + operator + "' (shard " + shard + ") failed on record key=" + shorten(key)
                + ", value=" + shorten(value) + ", timestamp=" + timestamp + ": " + cause;
    }

    private static String shorten(Object o) {
        String s = String.valueOf(o);
        return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "...(" + s.length() + " chars)";
    }
}
