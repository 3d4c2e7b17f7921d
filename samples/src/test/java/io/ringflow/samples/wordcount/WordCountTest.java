package io.ringflow.samples.wordcount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.KeyValue;
import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.testing.TopologyTestDriver;
import io.ringflow.windowing.Windowed;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WordCountTest {

    private static TopologyTestDriver driver() {
        CollectingSink<KeyValue<Windowed<String>, Long>> unused = new CollectingSink<>();
        return new TopologyTestDriver(WordCount.topology(CollectionSource.of(), unused, unused));
    }

    private static void pipeLines(TopologyTestDriver driver) {
        driver.<String>input("lines")
                .pipe("To be, or not to be:", 1_000)
                .pipe("to be", 6_000)
                .pipe("that is", 12_000);
    }

    private static List<String> counts(TopologyTestDriver driver, String sink) {
        return driver.<KeyValue<Windowed<String>, Long>>output(sink).readValuesToList().stream()
                .map(Object::toString).sorted().toList();
    }

    @Test
    void tumblingTenSecondWindowsCountEachWordOnceTheWatermarkClosesThem() {
        try (TopologyTestDriver driver = driver()) {
            pipeLines(driver);
            // The line at 12 s moved the watermark to 11 s: [0, 10 s) is closed, [10 s, 20 s) not yet.
            assertEquals(List.of("be@[0, 10000)=3", "not@[0, 10000)=1", "or@[0, 10000)=1", "to@[0, 10000)=3"),
                    counts(driver, WordCount.TUMBLING));
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of("is@[10000, 20000)=1", "that@[10000, 20000)=1"), counts(driver, WordCount.TUMBLING));
        }
    }

    @Test
    void slidingWindowsOfTenSecondsEveryFiveCountEachLineInTwoWindows() {
        try (TopologyTestDriver driver = driver()) {
            pipeLines(driver);
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of(
                    "be@[-5000, 5000)=2", "be@[0, 10000)=3", "be@[5000, 15000)=1",
                    "is@[10000, 20000)=1", "is@[5000, 15000)=1",
                    "not@[-5000, 5000)=1", "not@[0, 10000)=1",
                    "or@[-5000, 5000)=1", "or@[0, 10000)=1",
                    "that@[10000, 20000)=1", "that@[5000, 15000)=1",
                    "to@[-5000, 5000)=2", "to@[0, 10000)=3", "to@[5000, 15000)=1"),
                    counts(driver, WordCount.SLIDING));
        }
    }

    @Test
    void embeddedTextOnTwoShardsGivesTheExactCountsOfEachWindow() throws Exception {
        CollectingSink<KeyValue<Windowed<String>, Long>> tumbling = new CollectingSink<>();
        CollectingSink<KeyValue<Windowed<String>, Long>> sliding = new CollectingSink<>();
        try (Pipeline pipeline = new Pipeline(WordCount.topology(WordCount.embeddedText(), tumbling, sliding),
                PipelineConfig.defaults().withParallelism(2))) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(Duration.ofSeconds(30)));
        }
        // Lines at 0, 2.5, 5 and 7.5 s are the first window; 10 to 17.5 s the second.
        assertEquals(4L, count(tumbling, "i", 0));
        assertEquals(4L, count(tumbling, "i", 10_000));
        assertEquals(4L, count(tumbling, "the", 0));
        assertEquals(2L, count(tumbling, "whenever", 10_000));
        assertEquals(111L, tumbling.values().stream().mapToLong(KeyValue::value).sum(), "every word, once");
        assertEquals(222L, sliding.values().stream().mapToLong(KeyValue::value).sum(), "every word, in two windows");
        assertEquals(3L, count(sliding, "whenever", 5_000), "lines at 5, 7.5, 10 and 12.5 s");
    }

    @Test
    void mainCountsTheEmbeddedTextAndEnds() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            WordCount.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("tumbling [00:00:00, 00:00:10) i            4\n"), output);
        assertTrue(output.contains("sliding  [00:00:05, 00:00:15) whenever     3\n"), output);
        assertTrue(output.contains("Done: every window closed at the end of the input."), output);
    }

    private static long count(CollectingSink<KeyValue<Windowed<String>, Long>> sink, String word, long start) {
        return sink.values().stream().filter(kv -> kv.key().key().equals(word) && kv.key().window().start() == start)
                .mapToLong(KeyValue::value).sum();
    }
}
