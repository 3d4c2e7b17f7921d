package io.ringflow.benchmarks.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;

/**
 * Draws {@link LatencyResult}s as a PNG of latency by percentile in the style of
 * HdrHistogram's plotter, one coloured line per result.
 */
public final class LatencyPlot {

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;
    private static final int MARGIN_LEFT = 90;
    private static final int MARGIN_RIGHT = 40;
    private static final int MARGIN_TOP = 60;
    private static final int MARGIN_BOTTOM = 70;

    /** The x axis runs from 0 to this many nines, i.e. to 99.999%. */
    private static final int MAX_NINES = 5;
    private static final double SAMPLE_STEP_NINES = 0.01;

    /** The lowest latency the y axis shows, so that zero latencies stay plottable on a log scale. */
    private static final double FLOOR_MICROS = 0.1;

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
    };

    private LatencyPlot() {
    }

    /**
     * Writes a PNG of latency by percentile to {@code png}, creating its parent directories: one
     * coloured line per result, labelled {@code system / workload}, with the percentile on a log
     * scale of 1/(1-p) from 0% to 99.999% and the latency on a log scale.
     */
    public static void write(Path png, String title, List<LatencyResult> results) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            // Benchmarks run on machines without a display, and drawing into an image needs none.
            System.setProperty("java.awt.headless", "true");
        }
        List<Curve> curves = curves(results);
        PlotArea area = plotArea(curves);
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            prepare(g);
            drawTitle(g, title);
            drawGrid(g, area);
            drawAxisTitles(g, area);
            drawCurves(g, area, curves);
            drawLegend(g, area, curves);
        } finally {
            g.dispose();
        }
        ReportFiles.createParentDirectories(png);
        if (!ImageIO.write(image, "png", png.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }

    /** One result sampled along the x axis: {@code micros[i]} is the latency at {@code nines[i]}. */
    private record Curve(String label, Color color, double[] nines, double[] micros) {

        double lowest() {
            return micros[0];
        }

        double highest() {
            return micros[micros.length - 1];
        }
    }

    /** Where the plot sits in the image, and the decades of microseconds its y axis spans. */
    private record PlotArea(int left, int top, int width, int height, int lowDecade, int highDecade) {

        int right() {
            return left + width;
        }

        int bottom() {
            return top + height;
        }

        double x(double nines) {
            return left + width * nines / MAX_NINES;
        }

        double y(double micros) {
            double decades = Math.log10(Math.max(micros, FLOOR_MICROS)) - lowDecade;
            return bottom() - height * decades / (highDecade - lowDecade);
        }
    }

    private static List<Curve> curves(List<LatencyResult> results) {
        List<Curve> curves = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            LatencyResult result = results.get(i);
            if (result.histogram().getTotalCount() > 0) {
                curves.add(curve(result, PALETTE[i % PALETTE.length]));
            }
        }
        return curves;
    }

    private static Curve curve(LatencyResult result, Color color) {
        Histogram histogram = result.histogram();
        int samples = (int) Math.round(MAX_NINES / SAMPLE_STEP_NINES) + 1;
        double[] nines = new double[samples];
        double[] micros = new double[samples];
        for (int i = 0; i < samples; i++) {
            nines[i] = i * SAMPLE_STEP_NINES;
            double percentile = 100 * (1 - Math.pow(10, -nines[i]));
            long nanos = Math.min(histogram.getValueAtPercentile(percentile), histogram.getMaxValue());
            micros[i] = nanos / 1000.0;
        }
        return new Curve(result.system() + " / " + result.workload(), color, nines, micros);
    }

    private static PlotArea plotArea(List<Curve> curves) {
        double lowest = curves.stream().mapToDouble(Curve::lowest).min().orElse(1);
        double highest = curves.stream().mapToDouble(Curve::highest).max().orElse(1000);
        int lowDecade = (int) Math.floor(Math.log10(Math.max(lowest, FLOOR_MICROS)));
        int highDecade = Math.max(lowDecade + 1, (int) Math.ceil(Math.log10(Math.max(highest, FLOOR_MICROS))));
        return new PlotArea(MARGIN_LEFT, MARGIN_TOP, WIDTH - MARGIN_LEFT - MARGIN_RIGHT,
                HEIGHT - MARGIN_TOP - MARGIN_BOTTOM, lowDecade, highDecade);
    }

    private static void prepare(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
    }

    private static void drawTitle(Graphics2D g, String title) {
        // Titles carry the machine description and can be long: shrink rather than crop.
        int size = 18;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
        while (size > 10 && g.getFontMetrics().stringWidth(title) > WIDTH - 40) {
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, --size));
        }
        g.setColor(Color.BLACK);
        int width = g.getFontMetrics().stringWidth(title);
        g.drawString(title, (WIDTH - width) / 2, MARGIN_TOP / 2 + g.getFontMetrics().getAscent() / 2);
    }

    private static void drawGrid(Graphics2D g, PlotArea area) {
        g.setStroke(new BasicStroke(1f));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        drawLatencyGrid(g, area);
        drawPercentileGrid(g, area);
        g.setColor(Color.DARK_GRAY);
        g.drawRect(area.left(), area.top(), area.width(), area.height());
    }

    private static void drawLatencyGrid(Graphics2D g, PlotArea area) {
        FontMetrics metrics = g.getFontMetrics();
        for (int decade = area.lowDecade(); decade <= area.highDecade(); decade++) {
            double decadeMicros = Math.pow(10, decade);
            if (decade < area.highDecade()) {
                g.setColor(new Color(238, 238, 238));
                for (int multiple = 2; multiple <= 9; multiple++) {
                    horizontalLine(g, area, area.y(multiple * decadeMicros));
                }
            }
            g.setColor(new Color(200, 200, 200));
            int y = (int) Math.round(area.y(decadeMicros));
            horizontalLine(g, area, y);
            String label = decadeLabel(decade);
            g.setColor(Color.BLACK);
            g.drawString(label, area.left() - 8 - metrics.stringWidth(label), y + metrics.getAscent() / 2 - 1);
        }
    }

    private static void horizontalLine(Graphics2D g, PlotArea area, double y) {
        int rounded = (int) Math.round(y);
        g.drawLine(area.left(), rounded, area.right(), rounded);
    }

    private static void drawPercentileGrid(Graphics2D g, PlotArea area) {
        FontMetrics metrics = g.getFontMetrics();
        for (int nines = 0; nines <= MAX_NINES; nines++) {
            int x = (int) Math.round(area.x(nines));
            g.setColor(new Color(200, 200, 200));
            g.drawLine(x, area.top(), x, area.bottom());
            String label = ninesLabel(nines);
            g.setColor(Color.BLACK);
            g.drawString(label, x - metrics.stringWidth(label) / 2, area.bottom() + 8 + metrics.getAscent());
        }
    }

    /** Labels a power of ten microseconds in the largest unit that keeps it at least 1, e.g. {@code 10 ms}. */
    private static String decadeLabel(int decade) {
        String[] units = {"µs", "ms", "s"};
        int unit = Math.max(0, Math.min(units.length - 1, Math.floorDiv(decade, 3)));
        return BigDecimal.ONE.scaleByPowerOfTen(decade - 3 * unit).toPlainString() + " " + units[unit];
    }

    /** Labels the percentile with the given number of nines, e.g. 3 is {@code 99.9%}. */
    private static String ninesLabel(int nines) {
        BigDecimal percentile = BigDecimal.valueOf(100).subtract(BigDecimal.ONE.scaleByPowerOfTen(2 - nines));
        return percentile.toPlainString() + "%";
    }

    private static void drawAxisTitles(Graphics2D g, PlotArea area) {
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.setColor(Color.BLACK);
        FontMetrics metrics = g.getFontMetrics();
        String xTitle = "Percentile";
        g.drawString(xTitle, area.left() + (area.width() - metrics.stringWidth(xTitle)) / 2, HEIGHT - 18);
        String yTitle = "Latency";
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        // Rotated a quarter turn anticlockwise, x runs up the image and y runs right.
        g.drawString(yTitle, -(area.top() + (area.height() + metrics.stringWidth(yTitle)) / 2), 22);
        g.setTransform(saved);
    }

    private static void drawCurves(Graphics2D g, PlotArea area, List<Curve> curves) {
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setClip(area.left(), area.top() - 2, area.width() + 2, area.height() + 4);
        for (Curve curve : curves) {
            Path2D.Double path = new Path2D.Double();
            path.moveTo(area.x(curve.nines()[0]), area.y(curve.micros()[0]));
            for (int i = 1; i < curve.nines().length; i++) {
                path.lineTo(area.x(curve.nines()[i]), area.y(curve.micros()[i]));
            }
            g.setColor(curve.color());
            g.draw(path);
        }
        g.setClip(null);
    }

    private static void drawLegend(Graphics2D g, PlotArea area, List<Curve> curves) {
        if (curves.isEmpty()) {
            return;
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics metrics = g.getFontMetrics();
        int padding = 10;
        int sampleLength = 24;
        int rowHeight = metrics.getHeight() + 4;
        int labelWidth = curves.stream().mapToInt(curve -> metrics.stringWidth(curve.label())).max().orElse(0);
        int x = area.left() + 12;
        int y = area.top() + 12;
        int width = 2 * padding + sampleLength + 8 + labelWidth;
        int height = 2 * padding + rowHeight * curves.size() - 4;
        g.setColor(new Color(255, 255, 255, 230));
        g.fillRect(x, y, width, height);
        g.setStroke(new BasicStroke(1f));
        g.setColor(Color.GRAY);
        g.drawRect(x, y, width, height);
        g.setStroke(new BasicStroke(3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int i = 0; i < curves.size(); i++) {
            Curve curve = curves.get(i);
            int baseline = y + padding + i * rowHeight + metrics.getAscent();
            int middle = baseline - metrics.getAscent() / 2 + 1;
            g.setColor(curve.color());
            g.drawLine(x + padding, middle, x + padding + sampleLength, middle);
            g.setColor(Color.BLACK);
            g.drawString(curve.label(), x + padding + sampleLength + 8, baseline);
        }
    }
}
