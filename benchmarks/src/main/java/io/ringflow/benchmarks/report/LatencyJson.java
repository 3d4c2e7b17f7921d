package io.ringflow.benchmarks.report;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/** Writes {@link LatencyResult}s as a JSON file for tooling, latencies in microseconds. */
public final class LatencyJson {

    private LatencyJson() {
    }

    /**
     * Writes the results as JSON to {@code file}, creating its parent directories: the machine
     * description, the current date and time (ISO-8601), and per result its system, workload,
     * rates, count and latency percentiles in microseconds.
     */
    public static void write(Path file, List<LatencyResult> results, String machine) throws IOException {
        String now = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS));
        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"machine\": ").append(jsonString(machine)).append(",\n");
        json.append("  \"date\": ").append(jsonString(now)).append(",\n");
        json.append("  \"results\": [");
        for (int i = 0; i < results.size(); i++) {
            json.append(i == 0 ? "\n" : ",\n");
            appendJsonResult(json, results.get(i));
        }
        json.append(results.isEmpty() ? "]\n" : "\n  ]\n");
        json.append("}\n");
        ReportFiles.createParentDirectories(file);
        Files.writeString(file, json, StandardCharsets.UTF_8);
    }

    private static void appendJsonResult(StringBuilder json, LatencyResult result) {
        json.append("    {\n");
        json.append("      \"system\": ").append(jsonString(result.system())).append(",\n");
        json.append("      \"workload\": ").append(jsonString(result.workload())).append(",\n");
        json.append("      \"offeredPerSecond\": ").append(result.offeredPerSecond()).append(",\n");
        json.append("      \"achievedPerSecond\": ").append(jsonNumber(result.achievedPerSecond())).append(",\n");
        json.append("      \"measured\": ").append(result.measured()).append(",\n");
        json.append("      \"percentilesMicros\": {");
        for (double percentile : Percentiles.REPORTED) {
            json.append(jsonString(Percentiles.label(percentile))).append(": ")
                    .append(jsonNumber(result.percentileMicros(percentile))).append(", ");
        }
        json.append("\"max\": ").append(jsonNumber(result.maxMicros())).append("}\n");
        json.append("    }");
    }

    static String jsonString(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                case '\b' -> quoted.append("\\b");
                case '\f' -> quoted.append("\\f");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    private static String jsonNumber(double value) {
        // JSON has no NaN or infinity.
        if (!Double.isFinite(value)) {
            return "null";
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
