package io.ringflow.benchmarks.report;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@link LatencyResult}s as a JSON file for tooling, latencies in microseconds, with
 * Jackson.
 *
 * <pre>
 * {
 *   "machine": "2 vCPU, Java 17.0.15, ...",
 *   "date": "2026-11-25T10:24:38Z",
 *   "results": [
 *     {
 *       "system": "Kafka Streams",
 *       "workload": "kafka-to-kafka map",
 *       "offeredPerSecond": 10000,
 *       "achievedPerSecond": 10000.0,
 *       "measured": 200000,
 *       "percentilesMicros": {
 *         "50": 2457.599,
 *         "90": 4263.935,
 *         "99": 11083.775,
 *         "99.9": 23511.039,
 *         "99.99": 28246.015,
 *         "max": 29016.063
 *       }
 *     }
 *   ]
 * }
 * </pre>
 */
public final class LatencyJson {

    /** Two-space indents and {@code "name": value}, as the files written before Jackson; arrays one element a line. */
    private static final ObjectWriter WRITER = JsonMapper.builder().build().writer(new DefaultPrettyPrinter(
                    Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"))
            .withObjectIndenter(new DefaultIndenter("  ", "\n")));

    private LatencyJson() {
    }

    /** The whole file. Field order is the order written. */
    record Report(String machine, String date, List<Result> results) {
    }

    /**
     * One result; {@code achievedPerSecond} is null when it is not a finite number (a run of no
     * seconds), as JSON has no NaN or infinity.
     */
    record Result(String system, String workload, long offeredPerSecond, Double achievedPerSecond, long measured,
            Map<String, Double> percentilesMicros) {
    }

    /**
     * Writes the results as JSON to {@code file}, creating its parent directories: the machine
     * description, the current date and time (ISO-8601), and per result its system, workload,
     * rates, count and latency percentiles in microseconds, {@code max} last.
     */
    public static void write(Path file, List<LatencyResult> results, String machine) throws IOException {
        String now = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS));
        Report report = new Report(machine, now, results.stream().map(LatencyJson::result).toList());
        ReportFiles.createParentDirectories(file);
        Files.writeString(file, WRITER.writeValueAsString(report) + "\n", StandardCharsets.UTF_8);
    }

    private static Result result(LatencyResult result) {
        Map<String, Double> percentiles = new LinkedHashMap<>();
        for (double percentile : Percentiles.REPORTED) {
            percentiles.put(Percentiles.label(percentile), result.percentileMicros(percentile));
        }
        percentiles.put("max", result.maxMicros());
        double achieved = result.achievedPerSecond();
        return new Result(result.system(), result.workload(), result.offeredPerSecond(),
                Double.isFinite(achieved) ? achieved : null, result.measured(), percentiles);
    }
}
