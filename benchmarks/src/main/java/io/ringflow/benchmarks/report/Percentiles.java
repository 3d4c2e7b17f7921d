package io.ringflow.benchmarks.report;

import java.math.BigDecimal;

/** The percentiles the table and the JSON both report, besides the maximum, and the name both give each. */
final class Percentiles {

    /** In the order reported; read only. */
    static final double[] REPORTED = {50, 90, 99, 99.9, 99.99};

    private Percentiles() {
    }

    /** Names a percentile without trailing zeros, e.g. {@code 99.9} or {@code 50}. */
    static String label(double percentile) {
        return BigDecimal.valueOf(percentile).stripTrailingZeros().toPlainString();
    }
}
