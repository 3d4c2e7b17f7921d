package io.ringflow.samples.trading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.Sink;
import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.testing.TopologyTestDriver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's configuration (two shards, RocksDB state through the aggregates' serdes,
 * checkpoints) on 40,000 generated events gives exactly what the one-threaded test driver
 * gives on the same events.
 */
class TradingPipelineTest {

    // Late events 15 s late: too late for every window but the minute volume, by seconds, so
    // which windows they miss does not depend on how far each shard's watermark has got.
    private static final MarketGenerator.Settings MARKET = MarketGenerator.Settings.defaults(1_700_000_000_000L)
            .withSymbols(20).withLate(0.002, 15_000);
    private static final int EVENTS = 40_000;

    @Test
    void pipelineOnTwoShardsWithRocksDbAndCheckpointsMatchesTheTestDriverExactly(@TempDir Path state) throws Exception {
        List<Object> expected = new ArrayList<>();
        long expectedLate;
        List<MarketEvent> events = new MarketGenerator(MARKET).take(EVENTS);
        Sink<Object> intoExpected = (value, t) -> expected.add(value);
        try (TopologyTestDriver driver = new TopologyTestDriver(TradingTopology.build(CollectionSource.of(),
                TradingTopology.Outputs.allTo(intoExpected),
                TradingTopology.Settings.defaults()))) {
            driver.<MarketEvent>input(TradingTopology.SOURCE).pipeAll(events);
            driver.advanceWatermark(Long.MAX_VALUE);
            for (String sink : List.of(TradingTopology.VWAP_OUT, TradingTopology.VOLUME_OUT,
                    TradingTopology.ALERTS_OUT, TradingTopology.SESSIONS_OUT, TradingTopology.LATE_TRADES,
                    TradingTopology.STALE_QUOTES_OUT, TradingTopology.PRICED_OUT, TradingTopology.SECTOR_FLOW_OUT,
                    TradingTopology.ORDER_FILLS_OUT)) {
                expected.addAll(driver.output(sink).readValuesToList());
            }
            expectedLate = driver.lateRecords(TradingTopology.VWAP);
        }

        CollectingSink<Object> actual = new CollectingSink<>();
        long late;
        try (Pipeline pipeline = new Pipeline(TradingTopology.build(MarketSource.bounded(MARKET, EVENTS),
                TradingTopology.Outputs.allTo(actual), TradingTopology.Settings.defaults()),
                PipelineConfig.defaults().withParallelism(2).withStateDirectory(state)
                        .withCheckpointing(Duration.ofMillis(100)))) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(Duration.ofSeconds(60)));
            late = pipeline.lateRecords(TradingTopology.VWAP);
        }

        assertTrue(count(expected, PriceAlert.class) > 0 && count(expected, TraderSession.class) > 0
                        && count(expected, StaleQuote.class) > 0 && count(expected, PricedTrade.class) > 0
                        && count(expected, SectorFlow.class) > 0 && count(expected, OrderFill.class) > 0,
                "the market exercises every result");
        assertTrue(expectedLate > 0, "some trades are late");
        assertEquals(expectedLate, late);
        assertEquals(sorted(expected), sorted(actual.values()));
    }

    @Test
    void demoRunsForItsDurationPrintsResultsAndLatencyAndStopsCleanly(@TempDir Path state) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        TradingDemo demo = new TradingDemo(TradingDemo.Options.parse("--duration", "3", "--metrics-port", "0",
                "--state-dir", state.toString(), "--symbols", "10"), new PrintStream(captured, true, StandardCharsets.UTF_8));
        demo.run();
        String output = captured.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("Ringflow trading demo: 10 symbols, 2,000 events/s from the embedded generator"), output);
        assertTrue(output.contains("latency, event in to VWAP out: p50 "), output);
        assertTrue(output.matches("(?s).*VWAP 1s +AAPL \\d+\\.\\d\\d .*"), output);
        assertTrue(output.contains("Stopped cleanly: "), output);
        assertEquals(Pipeline.State.CLOSED, demo.pipeline().state());
    }

    private static long count(List<Object> values, Class<?> type) {
        return values.stream().filter(type::isInstance).count();
    }

    /** In a fixed order (shards interleave their results), compared with equals: exact doubles. */
    private static List<Object> sorted(List<?> values) {
        return values.stream().sorted(Comparator.comparing(v -> v.getClass().getSimpleName() + " " + v))
                .map(v -> (Object) v).toList();
    }
}
