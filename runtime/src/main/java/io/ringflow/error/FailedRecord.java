package io.ringflow.error;

/**
 * A record whose processing threw, with everything needed to find and replay it: the
 * operator that threw, the record's key, value and timestamp, and the exception.
 *
 * <p>Operators run on shards, sources on readers: {@link #shard()} says which shard ran a
 * failed operator, {@link #reader()} which reader of a source read a record it could not
 * decode; each is -1 where it does not apply, and {@link #instance()} holds whichever one does.
 *
 * @param operator name of the operator (or source) that failed
 * @param kind     what that operator does, for example {@code map}, {@code sink} or {@code source}
 * @param instance which parallel instance of it ran: for an operator its shard, for a source
 *                 the index of the reader (0 to {@code Source.readers() - 1}); read it as
 *                 {@link #shard()} or {@link #reader()}
 * @param key      key of the record, {@code null} on an unkeyed stream
 * @param value    the value the operator was given (for a source, the raw input)
 * @param timestamp event timestamp of the record, epoch milliseconds
 * @param cause    what the operator threw
 */
public record FailedRecord(
        String operator, String kind, int instance, Object key, Object value, long timestamp, Throwable cause) {

    private static final int MAX_SHOWN = 200;

    /** The {@link #kind()} of a record a source's timestamp extractor failed on (or whose event time was refused). */
    public static final String TIMESTAMP_EXTRACTOR = "timestamp extractor";

    /**
     * Whether a source's reader failed on the record (it could not decode what it read, or the
     * source's timestamp extractor could not give it an event time), rather than an operator or sink.
     */
    public boolean isSourceFailure() {
        return "source".equals(kind) || TIMESTAMP_EXTRACTOR.equals(kind);
    }

    /** The shard of the stage that ran the failed operator; -1 for a source failure (see {@link #reader()}). */
    public int shard() {
        return isSourceFailure() ? -1 : instance;
    }

    /** For a source failure, the index of the source reader that read the record; -1 otherwise. */
    public int reader() {
        return isSourceFailure() ? instance : -1;
    }

    /**
     * One line for logs and exception messages, naming the shard (or, for a source, the
     * reader); long values are cut to keep logs readable.
     */
    public String describe() {
        return kind + " '" + operator + "' (" + (isSourceFailure() ? "reader " : "shard ") + instance
                + ") failed on record key=" + shorten(key) + ", value=" + shorten(value) + ", timestamp=" + timestamp
                + ": " + cause;
    }

    private static String shorten(Object o) {
        String s = String.valueOf(o);
        return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "...(" + s.length() + " chars)";
    }
}
