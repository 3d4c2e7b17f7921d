package io.ringflow.benchmarks.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.function.DoubleFunction;

/**
 * The tick labels of {@link LatencyPlot}'s two logarithmic axes. JFreeChart's {@code LogAxis}
 * takes its labels from a {@link NumberFormat}; this one only formats, never parses.
 */
final class AxisLabels extends NumberFormat {

    private final transient DoubleFunction<String> label;

    private AxisLabels(DoubleFunction<String> label) {
        this.label = label;
    }

    /**
     * Labels the percentile axis, whose values are 1/(1-p): 1 is {@code 0%}, 10 is {@code 90%},
     * 1000 is {@code 99.9%}.
     */
    static AxisLabels percentileOfInverseTail() {
        return new AxisLabels(AxisLabels::percentile);
    }

    /** Labels the latency axis, whose values are microseconds: {@code 100 µs}, {@code 1 ms}, {@code 10 s}. */
    static AxisLabels latencyMicros() {
        return new AxisLabels(AxisLabels::latency);
    }

    static String percentile(double inverseTail) {
        // 1/(1-p) = 10^n is the percentile with n nines; a tick lands a rounding error off it.
        double nines = Math.log10(inverseTail);
        long whole = Math.round(nines);
        BigDecimal percentile = Math.abs(nines - whole) < 1e-9
                ? BigDecimal.valueOf(100).subtract(BigDecimal.ONE.scaleByPowerOfTen(2 - (int) whole))
                : new BigDecimal(100 * (1 - 1 / inverseTail), new MathContext(4));
        return percentile.stripTrailingZeros().toPlainString() + "%";
    }

    static String latency(double micros) {
        double decade = Math.log10(micros);
        long whole = Math.round(decade);
        if (Math.abs(decade - whole) > 1e-9) {
            return LatencyTable.formatLatency(micros);
        }
        // A power of ten in the largest unit that keeps it at least 1, e.g. 10 ms, not 10.0 ms.
        String[] units = {"µs", "ms", "s"};
        int unit = (int) Math.max(0, Math.min(units.length - 1, Math.floorDiv(whole, 3)));
        return BigDecimal.ONE.scaleByPowerOfTen((int) whole - 3 * unit).toPlainString() + " " + units[unit];
    }

    @Override
    public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
        return toAppendTo.append(label.apply(number));
    }

    @Override
    public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
        return format((double) number, toAppendTo, pos);
    }

    @Override
    public Number parse(String source, ParsePosition parsePosition) {
        throw new UnsupportedOperationException("axis labels are only formatted");
    }
}
