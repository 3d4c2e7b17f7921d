package io.ringflow.benchmarks.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the files of one latency run side by side: {@code <name>.json} ({@link LatencyJson}),
 * {@code <name>.png} ({@link LatencyPlot}) and one {@code <name>.<workload>.<system>.hlog} per
 * result ({@link LatencyHistogramLog}).
 *
 * <pre>
 * LatencyReport.write(Path.of("benchmarks", "results"), "latency-kafka", title, machine, results)
 *         .forEach(file -&gt; System.out.println("wrote " + file));
 * </pre>
 */
public final class LatencyReport {

    private LatencyReport() {
    }

    /**
     * Writes the JSON, the plot and the histogram logs of {@code results} into
     * {@code directory}, creating it, and returns the files written in that order.
     *
     * @param name    the files' common name, e.g. {@code latency-in-process}
     * @param title   the plot's title
     * @param machine what the run ran on, for the JSON
     * @throws IllegalArgumentException before writing anything, if two results would share a
     *                                  histogram log
     */
    public static List<Path> write(Path directory, String name, String title, String machine,
            List<LatencyResult> results) throws IOException {
        LatencyHistogramLog.fileNames(name, results);
        List<Path> written = new ArrayList<>();
        Path json = directory.resolve(name + ".json");
        LatencyJson.write(json, results, machine);
        written.add(json);
        Path png = directory.resolve(name + ".png");
        LatencyPlot.write(png, title, results);
        written.add(png);
        written.addAll(LatencyHistogramLog.write(directory, name, results));
        return written;
    }
}
