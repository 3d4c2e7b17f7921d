package io.ringflow.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.KeyValue;
import io.ringflow.Named;
import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.RingWaitStrategy;
import io.ringflow.StreamBuilder;
import io.ringflow.Topology;
import io.ringflow.collection.CollectionSource;
import io.ringflow.error.ErrorHandler;
import io.ringflow.testing.TopologyTestDriver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The README's example, as written there, so the README cannot drift from the API. */
class ReadmeExampleTest {

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
