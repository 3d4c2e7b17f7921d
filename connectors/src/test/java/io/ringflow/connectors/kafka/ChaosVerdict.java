package io.ringflow.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The verdict of {@link ChaosTest}: reads everything the application wrote to
 * {@code chaos-counts} and {@code chaos-windows}, compares it with the truth of the input,
 * and, where they differ, says for each key and window what was written, what the input topic
 * holds and every count written.
 */
final class ChaosVerdict {

    private final String bootstrap;
    private final String mode;
    private final long seed;
    private final ChaosInput input;
    /** The test's history of runs, for a failure message. */
    private final List<String> history;

    ChaosVerdict(String bootstrap, String mode, long seed, ChaosInput input, List<String> history) {
        this.bootstrap = bootstrap;
        this.mode = mode;
        this.seed = seed;
        this.input = input;
        this.history = history;
    }

    /** Checks everything written against the truth, after {@code kills} kills. */
    void check(int kills) {
        boolean exactlyOnce = mode.equals("exactly-once");
        Map<String, Long> keyTruth = input.keyTruth();
        List<ConsumerRecord<String, String>> countsWritten;
        List<ConsumerRecord<String, String>> windowsWritten;
        try (TopicReader counts = new TopicReader(bootstrap, "chaos-counts", exactlyOnce);
             TopicReader windows = new TopicReader(bootstrap, "chaos-windows", exactlyOnce)) {
            countsWritten = counts.poll().records;
            windowsWritten = windows.poll().records;
        }
        Map<String, List<Long>> byKey = valuesByKey(countsWritten);
        Map<String, List<Long>> byWindow = valuesByKey(windowsWritten);
        Map<String, Long> finalCounts = lastOf(byKey);
        Map<String, Long> finalWindows = lastOf(byWindow);
        // Every key's counts as written (exactly-once) or the distinct ones (at-least-once may repeat a stretch).
        Map<String, String> expectedCountRuns = new TreeMap<>();
        keyTruth.forEach((key, n) -> expectedCountRuns.put(key, "1.." + n));
        Map<String, String> countRuns = new TreeMap<>();
        byKey.forEach((key, values) -> countRuns.put(key, runs(exactlyOnce ? values
                : new ArrayList<>(new TreeSet<>(values)))));
        Map<String, Long> windowTruth = mode.equals("count-only") ? Map.of() : input.windowTruth();
        Map<String, List<Long>> expectedWindowValues = new TreeMap<>();
        windowTruth.forEach((window, n) -> expectedWindowValues.put(window, List.of(n)));
        Map<String, List<Long>> windowValues = new TreeMap<>();
        // The windows' sink is at-least-once in every mode (a pipeline has one exactly-once sink).
        byWindow.forEach((window, values) -> windowValues.put(window, new ArrayList<>(new TreeSet<>(values))));
        Supplier<String> context = () -> "; seed " + seed + " (-Dchaos.seed=" + seed + "), " + mode + ", " + kills
                + " kills, " + input.sequence() + " records; logs target/chaos-" + mode + "-*.log; history:\n"
                + String.join("\n", history);
        assertTrue(kills >= 15, "only " + kills + " kills");
        assertAll("seed " + seed,
                () -> assertEquals(keyTruth, finalCounts, () -> "the latest count of each key differs from the"
                        + " records written; " + explainKeys(differing(keyTruth, finalCounts), byKey) + context.get()),
                () -> assertEquals(windowTruth, finalWindows, () -> "the latest count of each window differs from the"
                        + " records written; " + explainWindows(differing(windowTruth, finalWindows), byWindow)
                        + context.get()),
                () -> assertEquals(expectedCountRuns, countRuns, () -> (exactlyOnce
                        ? "read_committed, each key's counts must be 1, 2, ..., n exactly once; "
                        : "each key's counts must cover 1..n and never pass n; ")
                        + explainKeys(differing(expectedCountRuns, countRuns), byKey) + context.get()),
                () -> assertEquals(expectedWindowValues, windowValues, () -> "every count written for a window"
                        + " must be exact; " + explainWindows(differing(expectedWindowValues, windowValues), byWindow)
                        + context.get()));
    }

    /** Values as runs of consecutive numbers: {@code 1..40, 31..90} shows a stretch counted twice. */
    static String runs(List<Long> values) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < values.size()) {
            int j = i;
            while (j + 1 < values.size() && values.get(j + 1) == values.get(j) + 1) {
                j++;
            }
            out.append(out.isEmpty() ? "" : ", ").append(values.get(i));
            if (j > i) {
                out.append("..").append(values.get(j));
            }
            i = j + 1;
        }
        return out.toString();
    }

    /** Each key's values in the order written, without the "end" markers. */
    private static Map<String, List<Long>> valuesByKey(List<ConsumerRecord<String, String>> records) {
        Map<String, List<Long>> byKey = new TreeMap<>();
        for (ConsumerRecord<String, String> r : records) {
            if (!TopicReader.isMarker(r.key())) {
                byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(Long.parseLong(r.value()));
            }
        }
        return byKey;
    }

    private static Map<String, Long> lastOf(Map<String, List<Long>> byKey) {
        Map<String, Long> last = new TreeMap<>();
        byKey.forEach((key, values) -> last.put(key, values.get(values.size() - 1)));
        return last;
    }

    private static <V> Set<String> differing(Map<String, V> expected, Map<String, V> actual) {
        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        keys.removeIf(key -> Objects.equals(expected.get(key), actual.get(key)));
        return keys;
    }

    /**
     * For each key: what the test wrote, what the input topic holds (fewer: input was lost, not
     * processing) and every count written, as runs (a run starting again low: state was lost; a
     * run going past the truth: input was read twice).
     */
    private String explainKeys(Set<String> keys, Map<String, List<Long>> written) {
        Map<String, Long> inTopic = new TreeMap<>();
        for (ConsumerRecord<String, String> r : readInput()) {
            if (!TopicReader.isMarker(r.key())) {
                inTopic.merge(r.key(), 1L, Long::sum);
            }
        }
        StringBuilder out = new StringBuilder(keys.size() + " key(s) differ: ");
        for (String key : keys) {
            out.append(key).append(": wrote ").append(input.keyTruth().get(key)).append(" records, input topic holds ")
                    .append(inTopic.get(key)).append(", counts written ")
                    .append(runs(written.getOrDefault(key, List.of()))).append("; ");
        }
        return out.toString();
    }

    private String explainWindows(Set<String> windows, Map<String, List<Long>> written) {
        Map<String, Long> inTopic = new TreeMap<>();
        for (ConsumerRecord<String, String> r : readInput()) {
            if (!TopicReader.isMarker(r.key())) {
                inTopic.merge(r.key() + "@" + r.timestamp() / 1_000 * 1_000, 1L, Long::sum);
            }
        }
        StringBuilder out = new StringBuilder(windows.size() + " window(s) differ: ");
        for (String window : windows) {
            out.append(window).append(": wrote ").append(input.windowTruth().get(window))
                    .append(" records, input topic holds ").append(inTopic.get(window)).append(", counts written ")
                    .append(written.getOrDefault(window, List.of())).append("; ");
        }
        return out.toString();
    }

    private List<ConsumerRecord<String, String>> readInput() {
        try (TopicReader in = new TopicReader(bootstrap, "chaos-in", false)) {
            return in.poll().records;
        }
    }
}
