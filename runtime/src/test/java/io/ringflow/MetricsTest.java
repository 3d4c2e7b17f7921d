package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.error.ErrorHandler;
import io.ringflow.watermark.WatermarkStrategy;
import io.ringflow.windowing.TumblingWindows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ringflow.* meters count exactly what happened. */
class MetricsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Sum of a counter over every shard (and reader) of one operator. */
    private static double count(MeterRegistry registry, String name, String operator) {
        return registry.find(name).tag("topology", "metrics").tag("operator", operator).functionCounters().stream()
                .mapToDouble(FunctionCounter::count).sum();
    }

    @Test
    void recordsInAndOutAreCountedPerOperatorAndShardExactly() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            numbers.add(i);
        }
        CollectingSink<KeyValue<Integer, Long>> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("metrics");
        builder.source("numbers", CollectionSource.of(numbers))
                .filter(i -> i % 4 != 0, Named.as("not-fourth"))
                .flatMap((Integer i) -> List.of(i, i), Named.as("twice"))
                .keyBy(i -> i % 10, Named.as("by-digit"))
                .count(Named.as("counts"))
                .toStream()
                .to(sink, Named.as("out"));
        try (Pipeline pipeline = new Pipeline(builder.build(),
                PipelineConfig.defaults().withParallelism(2).withMeterRegistry(registry))) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
            assertEquals(1_000, count(registry, "ringflow.records.out", "numbers"));
            assertEquals(1_000, count(registry, "ringflow.records.in", "not-fourth"));
            assertEquals(750, count(registry, "ringflow.records.out", "not-fourth"));
            assertEquals(750, count(registry, "ringflow.records.in", "twice"));
            assertEquals(1_500, count(registry, "ringflow.records.out", "twice"));
            assertEquals(1_500, count(registry, "ringflow.records.out", "by-digit"));
            assertEquals(1_500, count(registry, "ringflow.records.in", "counts"));
            assertEquals(1_500, count(registry, "ringflow.records.out", "out"));
            // Every stage ran on two shards, and each shard has its own series.
            assertEquals(2, registry.find("ringflow.records.in").tag("operator", "counts").functionCounters().size());
            FunctionTimer latency = registry.find("ringflow.latency").tag("operator", "out").functionTimer();
            assertEquals(1_500, latency.count());
            assertTrue(latency.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS) > 0);
            double p50 = registry.get("ringflow.latency.percentile").tag("operator", "out").tag("phi", "0.5")
                    .timeGauge().value(java.util.concurrent.TimeUnit.NANOSECONDS);
            double p999 = registry.get("ringflow.latency.percentile").tag("operator", "out").tag("phi", "0.999")
                    .timeGauge().value(java.util.concurrent.TimeUnit.NANOSECONDS);
            assertTrue(p50 > 0 && p50 <= p999, "p50 " + p50 + " p99.9 " + p999);
            assertEquals(4, registry.find("ringflow.ring.remaining").tag("topology", "metrics").gauges().size());
            assertTrue(registry.find("ringflow.state.entries").tag("store", "counts").gauges().size() == 2);
        }
        assertTrue(registry.find("ringflow.records.in").meters().isEmpty(), "close() removes the pipeline's meters");
    }

    @Test
    void errorsAreCountedByTheHandlersOutcome() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CollectingSink<Integer> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("metrics");
        builder.source("numbers", CollectionSource.of(1, 2, 3, 4, 5, 6, 7))
                .map(i -> {
                    if (i % 3 == 0) {
                        throw new IllegalArgumentException("no multiples of three");
                    }
                    return i;
                }, Named.as("check"))
                .to(sink);
        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withMeterRegistry(registry)
                .withErrorHandler(ErrorHandler.deadLetter(new CollectingSink<>())))) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
            assertEquals(2, registry.get("ringflow.errors").tag("operator", "check").tag("outcome", "dead-lettered")
                    .counter().count());
            assertEquals(5, count(registry, "ringflow.records.out", "check"));
        }
    }

    @Test
    void lateRecordsAndWatermarkLagAreReported() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StreamBuilder builder = new StreamBuilder("metrics");
        builder.source("events", CollectionSource.of("a@1", "a@12", "a@3", "a@25", "a@4", "a@5"),
                        WatermarkStrategy.<String>forMonotonousTimestamps()
                                .withTimestampExtractor((e, t) -> Long.parseLong(e.split("@")[1])))
                .keyBy(e -> e.split("@")[0])
                .window(TumblingWindows.of(Duration.ofMillis(10)))
                .count(Named.as("counts"))
                .to(new CollectingSink<>());
        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withMeterRegistry(registry))) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
            assertEquals(3, count(registry, "ringflow.records.late", "counts"));
            // After the end of input the watermark is the end of time: no lag is negative but that one.
            assertEquals(2, registry.find("ringflow.watermark.lag").gauges().size());
        }
    }

    @Test
    void theTestDriverCountsTheSameWay() {
        StreamBuilder builder = new StreamBuilder("metrics");
        builder.source("numbers", CollectionSource.of(1))
                .filter(i -> i > 2, Named.as("big"))
                .to(new CollectingSink<>());
        try (io.ringflow.testing.TopologyTestDriver driver = new io.ringflow.testing.TopologyTestDriver(builder.build())) {
            for (int i = 0; i < 5; i++) {
                driver.input("numbers").pipe(i);
            }
            assertEquals(5, count(driver.meterRegistry(), "ringflow.records.in", "big"));
            assertEquals(2, count(driver.meterRegistry(), "ringflow.records.out", "big"));
        }
    }
}
