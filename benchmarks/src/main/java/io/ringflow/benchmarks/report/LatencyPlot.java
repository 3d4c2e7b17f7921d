package io.ringflow.benchmarks.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Line2D;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws {@link LatencyResult}s as a PNG of latency by percentile in the style of
 * HdrHistogram's plotter, one coloured line per result, with JFreeChart.
 *
 * <p>The x axis is the percentile on a log scale of 1/(1-p), so 90%, 99%, 99.9% and so on
 * are evenly spaced and the tail gets as much room as the body; the y axis is the latency on
 * a log scale, so a 50 µs median and a 30 ms maximum are both readable.
 */
public final class LatencyPlot {

    /** The PNG's size in pixels. */
    static final int WIDTH = 1000;
    static final int HEIGHT = 600;

    /** The x axis runs from 0 to this many nines, i.e. to 99.999%. */
    private static final int MAX_NINES = 5;
    private static final double SAMPLE_STEP_NINES = 0.01;

    /** The lowest latency the y axis shows, so that zero latencies stay plottable on a log scale. */
    private static final double FLOOR_MICROS = 0.1;

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
    };
    private static final Color GRID = new Color(200, 200, 200);
    private static final Color MINOR_GRID = new Color(238, 238, 238);

    private LatencyPlot() {
    }

    /**
     * Writes a PNG of latency by percentile to {@code png}, {@value #WIDTH} by {@value #HEIGHT}
     * pixels, creating its parent directories: one coloured line per result with recorded
     * latencies, labelled {@code system / workload}, with the percentile on a log scale of
     * 1/(1-p) from 0% to 99.999% and the latency on a log scale. Needs no display.
     */
    public static void write(Path png, String title, List<LatencyResult> results) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            // Benchmarks run on machines without a display, and drawing into an image needs none.
            System.setProperty("java.awt.headless", "true");
        }
        JFreeChart chart = chart(title, results);
        ReportFiles.createParentDirectories(png);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }

    private static JFreeChart chart(String title, List<LatencyResult> results) {
        XYSeriesCollection curves = new XYSeriesCollection();
        for (LatencyResult result : results) {
            if (result.histogram().getTotalCount() > 0) {
                curves.addSeries(curve(result));
            }
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setAutoPopulateSeriesStroke(false);
        renderer.setDefaultStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        renderer.setLegendLine(new Line2D.Double(-12, 0, 12, 0));
        for (int i = 0; i < curves.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        XYPlot plot = new XYPlot(curves, percentileAxis(), latencyAxis(curves), renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(Color.DARK_GRAY);
        BasicStroke thin = new BasicStroke(1f);
        plot.setDomainGridlinePaint(GRID);
        plot.setDomainGridlineStroke(thin);
        plot.setRangeGridlinePaint(GRID);
        plot.setRangeGridlineStroke(thin);
        plot.setRangeMinorGridlinesVisible(true);
        plot.setRangeMinorGridlinePaint(MINOR_GRID);
        plot.setRangeMinorGridlineStroke(thin);

        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        // Room on the right for the last percentile label, which is centred on the plot's edge.
        chart.setPadding(new RectangleInsets(8, 8, 8, 32));
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        return chart;
    }

    /** One result sampled along the x axis every {@value #SAMPLE_STEP_NINES} nines, capped at its maximum. */
    private static XYSeries curve(LatencyResult result) {
        Histogram histogram = result.histogram();
        XYSeries curve = new XYSeries(result.system() + " / " + result.workload(), false, true);
        int samples = (int) Math.round(MAX_NINES / SAMPLE_STEP_NINES) + 1;
        for (int i = 0; i < samples; i++) {
            double nines = i * SAMPLE_STEP_NINES;
            double percentile = 100 * (1 - Math.pow(10, -nines));
            long nanos = Math.min(histogram.getValueAtPercentile(percentile), histogram.getMaxValue());
            curve.add(Math.pow(10, nines), Math.max(nanos / 1000.0, FLOOR_MICROS));
        }
        return curve;
    }

    private static LogAxis percentileAxis() {
        LogAxis axis = logAxis("Percentile");
        setDecades(axis, 0, MAX_NINES);
        axis.setNumberFormatOverride(AxisLabels.percentileOfInverseTail());
        axis.setTickUnit(new NumberTickUnit(1));
        return axis;
    }

    /** Whole decades of microseconds, at least one, around every curve. */
    private static LogAxis latencyAxis(XYSeriesCollection curves) {
        double lowest = curves.getSeriesCount() == 0 ? 1 : curves.getRangeLowerBound(false);
        double highest = curves.getSeriesCount() == 0 ? 1000 : curves.getRangeUpperBound(false);
        int lowDecade = (int) Math.floor(Math.log10(lowest));
        int highDecade = Math.max(lowDecade + 1, (int) Math.ceil(Math.log10(highest)));
        LogAxis axis = logAxis("Latency");
        setDecades(axis, lowDecade, highDecade);
        axis.setNumberFormatOverride(AxisLabels.latencyMicros());
        // Nine minor ticks a decade put gridlines at 2, 3, ... 9 times each power of ten.
        axis.setTickUnit(new NumberTickUnit(1, new DecimalFormat("0"), 9));
        return axis;
    }

    /**
     * Shows the axis from 10^low to 10^high with a tick at both ends. {@code LogAxis} takes the
     * logarithm as ln(x)/ln(10), which puts 10^6 a rounding error below 6 and drops its tick:
     * the upper end is widened by a part in a billion to keep it.
     */
    private static void setDecades(LogAxis axis, int low, int high) {
        axis.setRange(Math.pow(10, low), Math.pow(10, high) * (1 + 1e-9));
    }

    private static LogAxis logAxis(String label) {
        LogAxis axis = new LogAxis(label);
        axis.setBase(10);
        axis.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        axis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        return axis;
    }
}
