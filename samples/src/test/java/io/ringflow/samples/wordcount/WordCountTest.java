package io.ringflow.samples.wordcount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.KeyValue;
import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.testing.TopologyTestDriver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WordCountTest {

    @Test
    void countsEachWordAsItArrives() {
        CollectingSink<KeyValue<String, Long>> unused = new CollectingSink<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(WordCount.topology(CollectionSource.of("x"), unused))) {
            driver.<String>input("lines").pipe("To be, or not to be:").pipe("that is the question.");
            assertEquals(List.of(
                    KeyValue.of("to", 1L), KeyValue.of("be", 1L), KeyValue.of("or", 1L), KeyValue.of("not", 1L),
                    KeyValue.of("to", 2L), KeyValue.of("be", 2L), KeyValue.of("that", 1L), KeyValue.of("is", 1L),
                    KeyValue.of("the", 1L), KeyValue.of("question", 1L)),
                    driver.<KeyValue<String, Long>>output("counts").readValuesToList());
        }
    }

    @Test
    void pipelineOnTwoShardsReachesTheExactFinalCountsOfTheText() throws Exception {
        CollectingSink<KeyValue<String, Long>> sink = new CollectingSink<>();
        try (Pipeline pipeline = new Pipeline(WordCount.topology(CollectionSource.of(WordCount.TEXT), sink),
                PipelineConfig.defaults().withParallelism(2))) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(Duration.ofSeconds(30)));
        }
        Map<String, Long> finalCounts = new HashMap<>();
        sink.values().forEach(kv -> finalCounts.merge(kv.key(), kv.value(), Math::max));
        assertEquals(77, finalCounts.size());
        assertEquals(8L, finalCounts.get("i"));
        assertEquals(6L, finalCounts.get("the"));
        assertEquals(3L, finalCounts.get("whenever"));
        assertEquals(1L, finalCounts.get("ishmael"));
        assertEquals(111, sink.size(), "one update per word of the text");
    }

    @Test
    void mainPrintsTheFinalCounts() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            WordCount.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("Final counts (77 distinct words):"), output);
        assertTrue(output.contains("     8  i\n"), output);
        assertTrue(output.contains("     6  the\n"), output);
    }
}
