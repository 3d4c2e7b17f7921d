package io.ringflow.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report of two small known histograms, read back with the tools its readers use. */
class LatencyReportTest {

    /** The JSON's percentile names and the percentiles they stand for, {@code max} aside. */
    private static final Map<String, Double> PERCENTILES =
            Map.of("50", 50.0, "90", 90.0, "99", 99.0, "99.9", 99.9, "99.99", 99.99);

    @TempDir
    Path directory;

    private LatencyResult ringflow;
    private LatencyResult queue;
    private List<Path> written;

    @BeforeEach
    void writeReport() throws IOException {
        // 20 µs to 40 µs, and one in a hundred at 5 ms: a tail the plot and the percentiles must show.
        Histogram fast = histogram();
        for (int i = 0; i < 10_000; i++) {
            fast.recordValue(i % 100 == 99 ? 5_000_000 : 20_000 + 2 * i);
        }
        // 80 µs to about 2 ms, spread evenly.
        Histogram slow = histogram();
        for (int i = 0; i < 2_000; i++) {
            slow.recordValue(80_000 + 1_000L * i);
        }
        ringflow = new LatencyResult("Ringflow SPIN_THEN_PARK", "stateless", 10_000, 9_990.5, 10_000, fast);
        queue = new LatencyResult("ArrayBlockingQueue", "stateless", 10_000, 2_000, 2_000, slow);
        written = LatencyReport.write(directory, "latency-test", "Two known histograms", "test machine",
                List.of(ringflow, queue));
    }

    private static Histogram histogram() {
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        histogram.setStartTimeStamp(1_764_000_000_000L);
        histogram.setEndTimeStamp(1_764_000_020_000L);
        return histogram;
    }

    @Test
    void writesTheJsonThePlotAndOneHistogramLogPerSystemAndWorkload() {
        assertEquals(List.of(directory.resolve("latency-test.json"), directory.resolve("latency-test.png"),
                directory.resolve("latency-test.stateless.ringflow-spin-then-park.hlog"),
                directory.resolve("latency-test.stateless.arrayblockingqueue.hlog")), written);
        written.forEach(file -> assertTrue(Files.isRegularFile(file), file + " exists"));
    }

    @Test
    void jsonParsesBackWithEveryReportedPercentileOfEachHistogramExactly() throws IOException {
        JsonNode report = new ObjectMapper().readTree(directory.resolve("latency-test.json").toFile());
        assertEquals("test machine", report.get("machine").asText());
        assertTrue(report.get("date").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*"),
                report.get("date").asText());
        JsonNode results = report.get("results");
        assertEquals(2, results.size());
        assertResult(ringflow, results.get(0));
        assertResult(queue, results.get(1));
    }

    private static void assertResult(LatencyResult expected, JsonNode actual) {
        assertEquals(expected.system(), actual.get("system").asText());
        assertEquals(expected.workload(), actual.get("workload").asText());
        assertEquals(expected.offeredPerSecond(), actual.get("offeredPerSecond").asLong());
        assertEquals(expected.achievedPerSecond(), actual.get("achievedPerSecond").asDouble());
        assertEquals(expected.measured(), actual.get("measured").asLong());
        JsonNode percentiles = actual.get("percentilesMicros");
        assertEquals(List.of("50", "90", "99", "99.9", "99.99", "max"), fieldNames(percentiles));
        Histogram histogram = expected.histogram();
        PERCENTILES.forEach((name, percentile) -> assertEquals(histogram.getValueAtPercentile(percentile) / 1000.0,
                percentiles.get(name).asDouble(), expected.system() + " p" + name));
        assertEquals(histogram.getMaxValue() / 1000.0, percentiles.get("max").asDouble());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void histogramLogReadsBackIntoTheSameDistributionOverTheStampedInterval() throws IOException {
        for (LatencyResult result : List.of(ringflow, queue)) {
            String name = "latency-test.stateless." + LatencyHistogramLog.slug(result.system()) + ".hlog";
            try (HistogramLogReader reader = new HistogramLogReader(directory.resolve(name).toFile())) {
                Histogram read = (Histogram) reader.nextIntervalHistogram();
                assertNotNull(read, name + " holds an interval");
                assertFalse(reader.hasNext(), name + " holds one interval");
                Histogram recorded = result.histogram();
                assertEquals(recorded.getTotalCount(), read.getTotalCount());
                assertEquals(recorded.getValueAtPercentile(99), read.getValueAtPercentile(99));
                assertEquals(recorded.getMaxValue(), read.getMaxValue());
                assertEquals(recorded.getStartTimeStamp(), read.getStartTimeStamp());
                assertEquals(recorded.getEndTimeStamp(), read.getEndTimeStamp());
            }
        }
    }

    @Test
    void plotIsADecodablePngOfTheDocumentedSize() throws IOException {
        BufferedImage image = ImageIO.read(directory.resolve("latency-test.png").toFile());
        assertNotNull(image, "a PNG ImageIO can decode");
        assertEquals(LatencyPlot.WIDTH, image.getWidth());
        assertEquals(LatencyPlot.HEIGHT, image.getHeight());
    }

    @Test
    void resultsThatWouldShareAHistogramLogAreRefusedBeforeAnythingIsWritten() {
        Path elsewhere = directory.resolve("refused");
        LatencyResult sameButCase = new LatencyResult("RINGFLOW spin-then-park", "stateless", 1, 1, 1, histogram());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> LatencyReport.write(elsewhere, "latency-test", "title", "machine", List.of(ringflow, sameButCase)));
        assertTrue(refused.getMessage().contains("latency-test.stateless.ringflow-spin-then-park.hlog"),
                refused.getMessage());
        assertFalse(Files.exists(elsewhere));
    }

    @Test
    void aRateThatIsNotANumberIsWrittenAsNull() throws IOException {
        Path json = directory.resolve("no-seconds.json");
        LatencyJson.write(json, List.of(new LatencyResult("Ringflow", "stateless", 1, Double.NaN, 0, histogram())),
                "machine");
        assertTrue(new ObjectMapper().readTree(json.toFile()).get("results").get(0).get("achievedPerSecond").isNull());
    }
}
