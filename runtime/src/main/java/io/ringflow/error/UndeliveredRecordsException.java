package io.ringflow.error;

import java.util.List;

/**
 * Thrown by a sink's {@code flush()} or {@code sync()} when records it accepted earlier could
 * not be delivered (an asynchronous send failed). Ringflow hands each of them, with its own
 * value, timestamp and cause, to the pipeline's {@link ErrorHandler}, so a dead-letter sink
 * receives the records that were really lost rather than the one being written when the
 * failure came to light.
 */
public final class UndeliveredRecordsException extends Exception {

    /** One record a sink could not deliver. */
    public record Undelivered(Object value, long timestamp, Exception cause) {
    }

    private final List<Undelivered> records;

    public UndeliveredRecordsException(String sink, List<Undelivered> records) {
        super(records.size() + " record(s) could not be delivered by sink '" + sink + "'; first cause: "
                + records.get(0).cause(), records.get(0).cause());
        this.records = List.copyOf(records);
    }

    public List<Undelivered> records() {
        return records;
    }
}
