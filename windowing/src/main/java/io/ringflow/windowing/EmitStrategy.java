package io.ringflow.windowing;

import java.time.Duration;

/**
 * When a windowed aggregation emits its results.
 *
 * <ul>
 *   <li>{@link #onWindowClose()}: one final result per window, when the watermark closes it
 *       (append semantics). Needs event time, and results wait for the watermark.</li>
 *   <li>{@link #onEveryUpdate()}: a new result on every record (update semantics): the
 *       lowest latency, and the most output.</li>
 *   <li>{@link #everyInterval(Duration)}: the latest result of each changed window at most
 *       once per processing-time interval: bounded output rate, bounded staleness.</li>
 * </ul>
 */
public sealed interface EmitStrategy {

    static EmitStrategy onWindowClose() {
        return OnWindowClose.INSTANCE;
    }

    static EmitStrategy onEveryUpdate() {
        return OnEveryUpdate.INSTANCE;
    }

    static EmitStrategy everyInterval(Duration interval) {
        return new EveryInterval(Durations.positive(interval, "emit interval"));
    }

    /** One final result per window when it closes. */
    enum OnWindowClose implements EmitStrategy {
        INSTANCE;

        @Override
        public String toString() {
            return "onWindowClose()";
        }
    }

    /** A result on every record. */
    enum OnEveryUpdate implements EmitStrategy {
        INSTANCE;

        @Override
        public String toString() {
            return "onEveryUpdate()";
        }
    }

    /** The latest result of each changed window, at most once per interval of processing time. */
    record EveryInterval(long intervalMillis) implements EmitStrategy {
        @Override
        public String toString() {
            return "everyInterval(" + intervalMillis + " ms)";
        }
    }
}
