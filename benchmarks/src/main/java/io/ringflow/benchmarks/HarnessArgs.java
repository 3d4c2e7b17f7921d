package io.ringflow.benchmarks;

import io.ringflow.RingWaitStrategy;
import org.HdrHistogram.Histogram;

/**
 * What every constant-rate latency harness shares: its positional arguments
 * ({@code rate/s seconds warm-up wait-strategy}) and its percentile table.
 */
record HarnessArgs(long rate, int seconds, int warmup, RingWaitStrategy waitStrategy) {

    static HarnessArgs parse(String[] args, long defaultRate, int defaultSeconds, int defaultWarmup) {
        return new HarnessArgs(
                args.length > 0 ? Long.parseLong(args[0]) : defaultRate,
                args.length > 1 ? Integer.parseInt(args[1]) : defaultSeconds,
                args.length > 2 ? Integer.parseInt(args[2]) : defaultWarmup,
                args.length > 3 ? RingWaitStrategy.valueOf(args[3]) : RingWaitStrategy.BLOCKING);
    }

    /** p50 to p99.99 and the maximum, in microseconds, one per line. */
    static void printPercentiles(Histogram histogram) {
        for (double p : new double[] {50, 90, 99, 99.9, 99.99}) {
            System.out.printf("p%-6s %,10.1f us%n", p, histogram.getValueAtPercentile(p) / 1_000.0);
        }
        System.out.printf("max     %,10.1f us%n", histogram.getMaxValue() / 1_000.0);
    }
}
