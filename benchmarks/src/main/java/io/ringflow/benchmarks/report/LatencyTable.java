package io.ringflow.benchmarks.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints {@link LatencyResult}s as a Markdown table for the console, with latencies in units people read. */
public final class LatencyTable {

    /** Columns left of these are text, the rest numbers. */
    private static final int FIRST_NUMERIC_COLUMN = 2;

    private LatencyTable() {
    }

    /**
     * Prints the results as a Markdown table, one row per result: workload, system, offered and
     * achieved rates, and latency at p50, p90, p99, p99.9, p99.99 and the maximum.
     */
    public static void print(PrintStream out, List<LatencyResult> results) {
        List<String> header = new ArrayList<>(List.of("workload", "system", "offered/s", "achieved/s"));
        for (double percentile : Percentiles.REPORTED) {
            header.add("p" + Percentiles.label(percentile));
        }
        header.add("max");
        List<List<String>> rows = new ArrayList<>();
        for (LatencyResult result : results) {
            rows.add(tableRow(result));
        }
        int[] widths = columnWidths(header, rows);
        out.println(markdownRow(header, widths));
        out.println(separatorRow(widths));
        for (List<String> row : rows) {
            out.println(markdownRow(row, widths));
        }
    }

    private static List<String> tableRow(LatencyResult result) {
        List<String> row = new ArrayList<>();
        row.add(markdownText(result.workload()));
        row.add(markdownText(result.system()));
        row.add(String.format(Locale.ROOT, "%,d", result.offeredPerSecond()));
        row.add(String.format(Locale.ROOT, "%,.0f", result.achievedPerSecond()));
        for (double percentile : Percentiles.REPORTED) {
            row.add(formatLatency(result.percentileMicros(percentile)));
        }
        row.add(formatLatency(result.maxMicros()));
        return row;
    }

    /** Keeps free text from breaking the table: a pipe would end the cell, a line break the row. */
    private static String markdownText(String text) {
        return text.replace("|", "\\|").replaceAll("\\R", " ");
    }

    private static int[] columnWidths(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        for (int column = 0; column < widths.length; column++) {
            // A Markdown separator cell needs at least three characters.
            widths[column] = Math.max(3, header.get(column).length());
            for (List<String> row : rows) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        return widths;
    }

    private static String markdownRow(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder("|");
        for (int column = 0; column < cells.size(); column++) {
            String cell = cells.get(column);
            String padding = " ".repeat(widths[column] - cell.length());
            line.append(' ')
                    .append(column < FIRST_NUMERIC_COLUMN ? cell + padding : padding + cell)
                    .append(" |");
        }
        return line.toString();
    }

    private static String separatorRow(int[] widths) {
        StringBuilder line = new StringBuilder("|");
        for (int column = 0; column < widths.length; column++) {
            String dashes = column < FIRST_NUMERIC_COLUMN ? "-".repeat(widths[column]) : "-".repeat(widths[column] - 1) + ":";
            line.append(' ').append(dashes).append(" |");
        }
        return line.toString();
    }

    /** Formats a latency for people: {@code 4.2 µs}, {@code 119 µs}, {@code 4.35 ms}, {@code 1.20 s}. */
    static String formatLatency(double micros) {
        // The thresholds sit where rounding would otherwise print "10.0 µs" or "1000 µs".
        if (micros < 9.95) {
            return String.format(Locale.ROOT, "%.1f µs", micros);
        }
        if (micros < 999.5) {
            return String.format(Locale.ROOT, "%.0f µs", micros);
        }
        double millis = micros / 1000;
        if (millis < 999.5) {
            return threeSignificantDigits(millis) + " ms";
        }
        return threeSignificantDigits(millis / 1000) + " s";
    }

    private static String threeSignificantDigits(double value) {
        String pattern = value < 9.995 ? "%.2f" : value < 99.95 ? "%.1f" : "%.0f";
        return String.format(Locale.ROOT, pattern, value);
    }
}
