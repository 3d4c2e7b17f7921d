package io.ringflow.benchmarks.report;

import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * One latency run: the rate offered, the rate achieved and the end-to-end latency distribution.
 *
 * @param system            the system under test, e.g. {@code Ringflow}
 * @param workload          the workload it ran
 * @param offeredPerSecond  the constant rate the generator was scheduled to send at
 * @param achievedPerSecond the rate actually measured at the sink
 * @param measured          how many latencies were recorded, warm-up excluded
 * @param histogram         the recorded latencies, in nanoseconds
 */
public record LatencyResult(String system, String workload, long offeredPerSecond, double achievedPerSecond,
        long measured, Histogram histogram) {

    public LatencyResult {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(histogram, "histogram");
    }

    /**
     * Returns the latency at a percentile, in microseconds.
     *
     * @param percentile from 0 to 100
     */
    public double percentileMicros(double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    /** Returns the largest recorded latency, in microseconds. */
    public double maxMicros() {
        return histogram.getMaxValue() / 1000.0;
    }
}
