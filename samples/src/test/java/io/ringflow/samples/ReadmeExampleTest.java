package io.ringflow.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.KeyValue;
import io.ringflow.Named;
import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.RingWaitStrategy;
import io.ringflow.Source;
import io.ringflow.StreamBuilder;
import io.ringflow.Topology;
import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.error.ErrorHandler;
import io.ringflow.testing.TopologyTestDriver;
import io.ringflow.watermark.WatermarkStrategy;
import io.ringflow.windowing.EmitStrategy;
import io.ringflow.windowing.TumblingWindows;
import io.ringflow.windowing.Windowed;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The README's examples, as written there, so the README cannot drift from the API. */
class ReadmeExampleTest {

    record Trade(String symbol, long time) {
    }

    @Test
    void readmeWindowExampleCountsTradesPerSecondAndSidelinesLateOnes() {
        StreamBuilder builder = new StreamBuilder("trades");
        Source<Trade> trades = CollectionSource.of(new Trade("X", 0));
        CollectingSink<KeyValue<String, Trade>> lateSink = new CollectingSink<>();
        CollectingSink<KeyValue<Windowed<String>, Long>> sink = new CollectingSink<>();

        builder.source("trades", trades, WatermarkStrategy.<Trade>forBoundedOutOfOrderness(Duration.ofMillis(200))
                        .withTimestampExtractor((trade, sourceTime) -> trade.time())
                        .withIdleness(Duration.ofSeconds(5)))
               .keyBy(Trade::symbol)
               .window(TumblingWindows.of(Duration.ofSeconds(1)).grace(Duration.ofMillis(100)))
               .emit(EmitStrategy.onWindowClose())
               .lateRecords(lateSink, Named.as("late-trades"))
               .count(Named.as("trades-per-second"))
               .to(sink, Named.as("out"));

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<Trade>input("trades").pipe(new Trade("AAPL", 100)).pipe(new Trade("AAPL", 900))
                    .pipe(new Trade("AAPL", 1_400)).pipe(new Trade("AAPL", 50));
            assertEquals("[AAPL@[0, 1000)=2]", driver.output("out").readValuesToList().toString());
            assertEquals(1, driver.lateRecords("trades-per-second"));
            assertEquals("[AAPL=Trade[symbol=AAPL, time=50]]", driver.output("late-trades").readValuesToList().toString());
        }
    }

    @Test
    void readmeExampleRunsAndItsDriverSnippetGivesTheOutputShown() throws Exception {
        Map<String, Long> printed = new ConcurrentHashMap<>();
        StreamBuilder builder = new StreamBuilder("word-count");

        builder.source("lines", CollectionSource.of("to be or not to be", "that is the question"))
               .flatMap(line -> List.of(line.split(" ")))
               .filter(word -> !word.isEmpty())
               .keyBy(word -> word)
               .count(Named.as("counts"))
               .to((update, timestamp) -> printed.merge(update.key(), update.value(), Math::max), Named.as("print"));

        Topology topology = builder.build();
        assertTrue(topology.describe().contains("count 'counts'"));

        PipelineConfig config = PipelineConfig.defaults()
                .withParallelism(2)
                .withWaitStrategy(RingWaitStrategy.BLOCKING)
                .withErrorHandler(ErrorHandler.logAndContinue());

        try (Pipeline pipeline = new Pipeline(topology, config)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(Duration.ofSeconds(10)));
        }
        assertEquals(Map.of("to", 2L, "be", 2L, "or", 1L, "not", 1L, "that", 1L, "is", 1L, "the", 1L, "question", 1L),
                printed);

        try (TopologyTestDriver driver = new TopologyTestDriver(topology)) {
            driver.<String>input("lines").pipe("a b a");
            assertEquals("[a=1, b=1, a=2]", driver.output("print").readValuesToList().toString());
        }
    }
}
