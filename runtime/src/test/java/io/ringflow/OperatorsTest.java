package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.testing.TestRecord;
import io.ringflow.testing.TopologyTestDriver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every DSL operator, run by the test driver, with exact outputs. */
class OperatorsTest {

    private static final Source<String> NO_INPUT = CollectionSource.of("unused");

    @Test
    void mapTransformsEachValueAndKeepsTimestamp() {
        StreamBuilder builder = new StreamBuilder();
        builder.source("in", NO_INPUT).map(String::length).to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("in").pipe("a", 10).pipe("abc", 20);
            assertEquals(List.of(new TestRecord<>(1, 10), new TestRecord<>(3, 20)),
                    driver.<Integer>output("out").readRecordsToList());
        }
    }

    @Test
    void filterKeepsOnlyMatchingValues() {
        StreamBuilder builder = new StreamBuilder();
        builder.source("in", NO_INPUT).filter(s -> s.startsWith("k")).to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("in").pipeAll(List.of("keep", "drop", "kite"));
            assertEquals(List.of("keep", "kite"), driver.output("out").readValuesToList());
        }
    }

    @Test
    void flatMapEmitsEveryElementInOrderAndNullMeansNothing() {
        StreamBuilder builder = new StreamBuilder();
        builder.source("in", NO_INPUT)
                .flatMap(s -> s.equals("none") ? null : Arrays.asList(s.split(" ")))
                .to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("in").pipe("a b c").pipe("none").pipe("").pipe("d");
            assertEquals(List.of("a", "b", "c", "", "d"), driver.output("out").readValuesToList());
        }
    }

    @Test
    void peekSeesEveryRecordAndChangesNothing() {
        List<String> seen = new ArrayList<>();
        StreamBuilder builder = new StreamBuilder();
        builder.source("in", NO_INPUT).peek(seen::add).to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("in").pipe("x").pipe("y");
            assertEquals(List.of("x", "y"), seen);
            assertEquals(List.of("x", "y"), driver.output("out").readValuesToList());
        }
    }

    @Test
    void processEmitsAnyNumberOfOutputsWithChosenTimestamps() {
        StreamBuilder builder = new StreamBuilder();
        builder.source("in", NO_INPUT)
                .<String>process((value, ctx, out) -> {
                    for (int i = 0; i < value.length(); i++) {
                        out.collect(value + i, ctx.timestamp() + i);
                    }
                })
                .to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("in").pipe("ab", 100).pipe("", 200).pipe("c", 300);
            assertEquals(List.of(new TestRecord<>("ab0", 100), new TestRecord<>("ab1", 101), new TestRecord<>("c0", 300)),
                    driver.<String>output("out").readRecordsToList());
        }
    }

    @Test
    void mergeInterleavesStreamsInArrivalOrder() {
        StreamBuilder builder = new StreamBuilder();
        EventStream<String> left = builder.source("left", NO_INPUT);
        EventStream<String> right = builder.source("right", NO_INPUT).map(String::toUpperCase);
        left.merge(right).to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("left").pipe("a");
            driver.<String>input("right").pipe("b");
            driver.<String>input("left").pipe("c");
            assertEquals(List.of("a", "B", "c"), driver.output("out").readValuesToList());
        }
    }

    @Test
    void streamUsedTwiceFeedsBothBranches() {
        StreamBuilder builder = new StreamBuilder();
        EventStream<Integer> numbers = builder.source("in", NO_INPUT).map(Integer::parseInt);
        numbers.filter(n -> n % 2 == 0).to(new CollectingSink<>(), Named.as("even"));
        numbers.map(n -> n * 10).to(new CollectingSink<>(), Named.as("tens"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("in").pipeAll(List.of("1", "2", "3", "4"));
            assertEquals(List.of(2, 4), driver.output("even").readValuesToList());
            assertEquals(List.of(10, 20, 30, 40), driver.output("tens").readValuesToList());
        }
    }

    @Test
    void countEmitsRunningCountPerKeyOnEveryRecord() {
        StreamBuilder builder = new StreamBuilder();
        builder.source("in", NO_INPUT).keyBy(s -> s).count().to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("in").pipeAll(List.of("a", "b", "a", "a", "b"));
            assertEquals(List.of(KeyValue.of("a", 1L), KeyValue.of("b", 1L), KeyValue.of("a", 2L),
                    KeyValue.of("a", 3L), KeyValue.of("b", 2L)), driver.output("out").readValuesToList());
        }
    }

    @Test
    void reduceCombinesValuesPerKeyStartingWithTheFirstValue() {
        StreamBuilder builder = new StreamBuilder();
        builder.source("in", NO_INPUT)
                .map(Integer::parseInt)
                .keyBy(n -> n % 2 == 0 ? "even" : "odd")
                .reduce(Integer::sum)
                .to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("in").pipeAll(List.of("1", "2", "3", "4", "5"));
            assertEquals(List.of(KeyValue.of("odd", 1), KeyValue.of("even", 2), KeyValue.of("odd", 4),
                    KeyValue.of("even", 6), KeyValue.of("odd", 9)), driver.output("out").readValuesToList());
        }
    }

    @Test
    void aggregateFoldsValuesIntoAnotherTypeAndSeesTheKey() {
        StreamBuilder builder = new StreamBuilder();
        builder.source("in", NO_INPUT)
                .keyBy(s -> s.substring(0, 1))
                .aggregate(() -> "", (key, value, acc) -> acc.isEmpty() ? key + ":" + value : acc + "," + value)
                .to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("in").pipeAll(List.of("x1", "y1", "x2"));
            assertEquals(List.of(KeyValue.of("x", "x:x1"), KeyValue.of("y", "y:y1"), KeyValue.of("x", "x:x1,x2")),
                    driver.output("out").readValuesToList());
        }
    }

    @Test
    void keyedMapFilterAndPeekKeepTheKey() {
        StreamBuilder builder = new StreamBuilder();
        builder.source("in", NO_INPUT)
                .keyBy(s -> s.length())
                .map(String::toUpperCase)
                .filter(s -> !s.startsWith("Z"))
                .flatMap(s -> List.of(s, s + "!"))
                .peek(s -> { })
                .to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("in").pipeAll(List.of("ab", "zz", "c"));
            assertEquals(List.of(KeyValue.of(2, "AB"), KeyValue.of(2, "AB!"), KeyValue.of(1, "C"), KeyValue.of(1, "C!")),
                    driver.output("out").readValuesToList());
        }
    }

    @Test
    void keyedProcessSeesKeyAndTimestamp() {
        StreamBuilder builder = new StreamBuilder();
        builder.source("in", NO_INPUT)
                .keyBy(s -> s.charAt(0))
                .<String>process((value, ctx, out) -> out.collect(ctx.key() + "@" + ctx.timestamp() + ":" + value))
                .toStream()
                .map(KeyValue::value)
                .to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("in").pipe("ab", 5).pipe("cd", 6);
            assertEquals(List.of("a@5:ab", "c@6:cd"), driver.output("out").readValuesToList());
        }
    }

    @Test
    void countsOfTwoKeyBysOnOneStreamAreIndependent() {
        StreamBuilder builder = new StreamBuilder();
        EventStream<String> words = builder.source("in", NO_INPUT);
        words.keyBy(w -> w).count().to(new CollectingSink<>(), Named.as("by-word"));
        words.keyBy(String::length).count().to(new CollectingSink<>(), Named.as("by-length"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("in").pipeAll(List.of("aa", "bb", "aa"));
            assertEquals(List.of(KeyValue.of("aa", 1L), KeyValue.of("bb", 1L), KeyValue.of("aa", 2L)),
                    driver.output("by-word").readValuesToList());
            assertEquals(List.of(KeyValue.of(2, 1L), KeyValue.of(2, 2L), KeyValue.of(2, 3L)),
                    driver.output("by-length").readValuesToList());
        }
    }

    @Test
    void describeShowsStagesRingsAndThreads() {
        StreamBuilder builder = new StreamBuilder("wc");
        builder.source("lines", NO_INPUT)
                .flatMap(l -> List.of(l.split(" ")))
                .keyBy(w -> w, Named.as("by-word"))
                .count(Named.as("counts"))
                .to(new CollectingSink<>(), Named.as("out"));
        String description = builder.build().describe(PipelineConfig.defaults().withParallelism(3).withRingSize(64));
        // One reader: it runs shard 0's chain; shards 1 and 2 get no input and end at once.
        assertTrue(description.contains("Stage 0: 3 shard(s), 1 run on the thread of the one reader that feeds it,"
                + " with no ring or thread of its own, the others one ring buffer of 64 slots and one consumer thread"),
                description);
        assertTrue(description.contains("Stage 1: 3 shard(s), each one ring buffer of 64 slots and one consumer thread"),
                description);
        assertTrue(description.contains("<- hash from keyBy 'by-word'"), description);
        assertTrue(description.contains("count 'counts' -> toStream-"), description);
    }
}
