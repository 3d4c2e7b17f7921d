package io.ringflow.benchmarks.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Saves each {@link LatencyResult}'s histogram in HdrHistogram's own log format, full fidelity,
 * so that HdrHistogram's tools read it: {@code HistogramLogProcessor} turns it into a
 * percentile distribution ({@code .hgrm}) for HdrHistogram's plotter, and
 * {@code HistogramLogReader} loads it back into a {@code Histogram}.
 *
 * <p>One file per result, {@code <report>.<workload>.<system>.hlog}, workload and system in
 * lower case with every run of other characters than letters and digits as one dash: for
 * example {@code latency-in-process.keyed-count.ringflow-spin-then-park.hlog}. Each holds one
 * interval, the whole measurement, values in nanoseconds.
 */
public final class LatencyHistogramLog {

    private LatencyHistogramLog() {
    }

    /**
     * Names each result's log, in the order of {@code results}.
     *
     * @throws IllegalArgumentException if two results would share a file, so that neither is
     *                                  silently overwritten
     */
    public static List<String> fileNames(String report, List<LatencyResult> results) {
        List<String> names = new ArrayList<>();
        Map<String, LatencyResult> taken = new HashMap<>();
        for (LatencyResult result : results) {
            String name = report + "." + slug(result.workload()) + "." + slug(result.system()) + ".hlog";
            LatencyResult other = taken.putIfAbsent(name, result);
            if (other != null) {
                throw new IllegalArgumentException("results '" + other.system() + " / " + other.workload() + "' and '"
                        + result.system() + " / " + result.workload() + "' would both be saved as " + name
                        + "; give them systems or workloads that differ in more than punctuation or case");
            }
            names.add(name);
        }
        return names;
    }

    /**
     * Writes one {@code .hlog} per result into {@code directory}, creating it, named as
     * {@link #fileNames} says, and returns the files written.
     *
     * <p>The interval logged is the one the histogram is stamped with (HdrHistogram's
     * {@code Recorder} stamps its interval histograms; the harnesses stamp theirs with the
     * measured window); a histogram without stamps is logged as an interval of no length at the
     * time of writing.
     */
    public static List<Path> write(Path directory, String report, List<LatencyResult> results) throws IOException {
        List<String> names = fileNames(report, results);
        Files.createDirectories(directory);
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            Path file = directory.resolve(names.get(i));
            try (OutputStream out = Files.newOutputStream(file);
                 PrintStream print = new PrintStream(out, false, StandardCharsets.UTF_8)) {
                writeLog(print, results.get(i));
                // PrintStream keeps its errors to itself; a full disk must not leave a cut log unnoticed.
                if (print.checkError()) {
                    throw new IOException("could not write " + file);
                }
            }
            written.add(file);
        }
        return written;
    }

    private static void writeLog(PrintStream print, LatencyResult result) {
        Histogram histogram = result.histogram();
        long start = histogram.getStartTimeStamp();
        long end = histogram.getEndTimeStamp();
        if (start == Long.MAX_VALUE || end < start) {
            start = System.currentTimeMillis();
            end = start;
        }
        HistogramLogWriter log = new HistogramLogWriter(print);
        log.outputComment("[Ringflow benchmarks: " + oneLine(result.system()) + " / " + oneLine(result.workload())
                + String.format(Locale.ROOT, ", %d/s offered, %d measured, values in nanoseconds]",
                        result.offeredPerSecond(), result.measured()));
        log.outputLogFormatVersion();
        log.outputStartTime(start);
        // The interval's time stamps are seconds after this base time, as HdrHistogram's own tools write them.
        log.outputBaseTime(start);
        log.outputLegend();
        log.outputIntervalHistogram(0, (end - start) / 1000.0, histogram);
    }

    /** A line break in a name would end the comment and start a line the log readers cannot parse. */
    private static String oneLine(String text) {
        return text.replaceAll("\\R", " ");
    }

    static String slug(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }
}
