package io.ringflow.watermark;

/**
 * The watermark of one input (a source reader, a Kafka partition): the largest timestamp it
 * has seen less the allowed out-of-orderness, and whether it has gone idle. Primitive state,
 * no allocation; driven by one thread.
 */
public final class WatermarkGenerator {

    private final long outOfOrdernessMillis;
    private final long idlenessMillis;
    private long maxTimestamp = Watermarks.NONE;
    private long lastRecordAtMillis;

    WatermarkGenerator(long outOfOrdernessMillis, long idlenessMillis) {
        this.outOfOrdernessMillis = outOfOrdernessMillis;
        this.idlenessMillis = idlenessMillis;
    }

    /**
     * Takes a record's event time.
     *
     * @param timestamp the record's event time
     * @param nowMillis processing time now, for idleness
     */
    public void onRecord(long timestamp, long nowMillis) {
        if (timestamp > maxTimestamp) {
            maxTimestamp = timestamp;
        }
        lastRecordAtMillis = nowMillis;
    }

    /**
     * The current watermark, {@link Watermarks#NONE} before the first record. Never decreases.
     * The subtraction saturates: while the largest timestamp less the out-of-orderness would be
     * before {@code Long.MIN_VALUE}, nothing is complete yet and the watermark stays
     * {@link Watermarks#NONE} instead of wrapping to the far future. A subtraction and a compare.
     */
    public long currentWatermark() {
        long watermark = maxTimestamp - outOfOrdernessMillis;
        return maxTimestamp == Watermarks.NONE || watermark > maxTimestamp ? Watermarks.NONE : watermark;
    }

    /** Whether the input has had no record for the idleness timeout (never, without one). */
    public boolean isIdle(long nowMillis) {
        return idlenessMillis > 0 && nowMillis - lastRecordAtMillis >= idlenessMillis;
    }
}
