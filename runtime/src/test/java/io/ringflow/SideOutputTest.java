package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.error.ErrorHandler;
import io.ringflow.error.FailedRecord;
import io.ringflow.function.ProcessFunction;
import io.ringflow.testing.TestRecord;
import io.ringflow.testing.TopologyTestDriver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Side outputs of {@code process}, run by the test driver: exact outputs on every stream. */
class SideOutputTest {

    private static final OutputTag<String> ODD = OutputTag.of("odd", String.class);
    private static final OutputTag<Integer> NEGATIVE = OutputTag.of("negative", Integer.class);

    /** Even numbers to the main output (times ten), odd ones to "odd" as text, negative ones to "negative". */
    private static final ProcessFunction<Integer, Integer> SPLIT = (n, ctx, out) -> {
        if (n < 0) {
            ctx.output(NEGATIVE, n);
        } else if (n % 2 == 0) {
            out.collect(n * 10);
        } else {
            ctx.output(ODD, "odd-" + n);
        }
        if (n == 4) {
            ctx.output(ODD, "four-is-also-here"); // one record may feed several outputs, in call order
        }
    };

    private static Topology splitting() {
        StreamBuilder builder = new StreamBuilder("split");
        EventStream<Integer> main = builder.source("in", CollectionSource.<Integer>of())
                .process(SPLIT, Named.as("split"));
        main.to(new CollectingSink<>(), Named.as("main"));
        main.sideOutput(ODD).map(String::toUpperCase, Named.as("shout")).to(new CollectingSink<>(), Named.as("odd"));
        main.sideOutput(NEGATIVE)
                .keyBy(n -> n % 2 == 0 ? "even" : "odd", Named.as("by-parity"))
                .count(Named.as("negatives"))
                .to(new CollectingSink<>(), Named.as("negative-counts"));
        return builder.build();
    }

    private static void pipe(TopologyTestDriver driver, int... numbers) {
        long timestamp = 100;
        for (int n : numbers) {
            driver.<Integer>input("in").pipe(n, timestamp++);
        }
    }

    @Test
    void processSplitsRecordsIntoMainAndTwoSideOutputsEachWithItsRecordsTimestamp() {
        try (TopologyTestDriver driver = new TopologyTestDriver(splitting())) {
            pipe(driver, 1, 2, -3, 4, -4, 5, -7);
            assertEquals(List.of(new TestRecord<>(20, 101), new TestRecord<>(40, 103)),
                    driver.<Integer>output("main").readRecordsToList());
            assertEquals(List.of(new TestRecord<>("ODD-1", 100), new TestRecord<>("FOUR-IS-ALSO-HERE", 103),
                            new TestRecord<>("ODD-5", 105)),
                    driver.<String>output("odd").readRecordsToList());
            assertEquals(List.of(new TestRecord<>(KeyValue.of("odd", 1L), 102),
                            new TestRecord<>(KeyValue.of("even", 1L), 104),
                            new TestRecord<>(KeyValue.of("odd", 2L), 106)),
                    driver.<KeyValue<String, Long>>output("negative-counts").readRecordsToList());
        }
    }

    @Test
    void aProcessCountsWhatItsMainAndSideOutputsPassOn() {
        try (TopologyTestDriver driver = new TopologyTestDriver(splitting())) {
            pipe(driver, 1, 2, -3, 4, -4, 5, -7);
            MeterRegistry registry = driver.meterRegistry();
            assertEquals(7, count(registry, "ringflow.records.in", "split"));
            assertEquals(2 + 3 + 3, count(registry, "ringflow.records.out", "split"));
            assertEquals(3, count(registry, "ringflow.records.in", "shout"));
        }
    }

    private static double count(MeterRegistry registry, String name, String operator) {
        return registry.find(name).tag("operator", operator).functionCounters().stream()
                .mapToDouble(FunctionCounter::count).sum();
    }

    @Test
    void aKeyedProcessSideOutputKeepsTheKeyLikeItsMainOutput() {
        OutputTag<Integer> large = OutputTag.of("large", Integer.class);
        StreamBuilder builder = new StreamBuilder("payments");
        KeyedStream<String, Integer> small = builder.source("in", CollectionSource.<String>of())
                .keyBy(s -> s.split(":")[0], Named.as("by-user"))
                .map(s -> Integer.parseInt(s.split(":")[1]))
                .process((Integer amount, io.ringflow.function.KeyedProcessFunction.Context<String> ctx,
                          io.ringflow.function.Collector<Integer> out) -> {
                    if (amount > 100) {
                        ctx.output(large, amount);
                    } else {
                        out.collect(amount);
                    }
                }, Named.as("classify"));
        small.reduce(Integer::sum, Named.as("small-sums")).to(new CollectingSink<>(), Named.as("small"));
        KeyedStream<String, Integer> big = small.sideOutput(large);
        big.to(new CollectingSink<>(), Named.as("large"));
        big.count(Named.as("large-counts")).to(new CollectingSink<>(), Named.as("large-per-user"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            for (String payment : List.of("alice:5", "bob:500", "alice:200", "alice:7", "bob:1", "alice:300")) {
                driver.<String>input("in").pipe(payment);
            }
            assertEquals(List.of(KeyValue.of("alice", 5), KeyValue.of("alice", 12), KeyValue.of("bob", 1)),
                    driver.output("small").readValuesToList());
            assertEquals(List.of(KeyValue.of("bob", 500), KeyValue.of("alice", 200), KeyValue.of("alice", 300)),
                    driver.output("large").readValuesToList());
            assertEquals(List.of(KeyValue.of("bob", 1L), KeyValue.of("alice", 1L), KeyValue.of("alice", 2L)),
                    driver.output("large-per-user").readValuesToList());
        }
    }

    @Test
    void aSideOutputMergesWithTheMainOutputAndWithAnotherStage() {
        StreamBuilder builder = new StreamBuilder("merges");
        EventStream<Integer> main = builder.source("in", CollectionSource.<Integer>of())
                .process(SPLIT, Named.as("split"));
        EventStream<String> odd = main.sideOutput(ODD);
        main.map(n -> "even-" + n).merge(odd).to(new CollectingSink<>(), Named.as("same-stage"));
        EventStream<String> counted = builder.source("words", CollectionSource.<String>of())
                .keyBy(w -> w).count().toStream().map(KeyValue::toString);
        counted.merge(odd).to(new CollectingSink<>(), Named.as("other-stage"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            pipe(driver, 1, 2, 3);
            driver.<String>input("words").pipe("w");
            assertEquals(List.of("odd-1", "even-20", "odd-3"), driver.output("same-stage").readValuesToList());
            assertEquals(List.of("odd-1", "odd-3", "w=1"), driver.output("other-stage").readValuesToList());
        }
    }

    @Test
    void valuesForATagTheTopologyTookNoStreamForGoNowhereAndTheRestIsExact() {
        StreamBuilder builder = new StreamBuilder("ignored");
        builder.source("in", CollectionSource.<Integer>of()).process(SPLIT, Named.as("split"))
                .to(new CollectingSink<>(), Named.as("main"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            pipe(driver, 1, 2, -3, 4);
            assertEquals(List.of(20, 40), driver.output("main").readValuesToList());
        }
    }

    @Test
    void aProcessWhoseSideOutputAloneIsTakenRuns() {
        StreamBuilder builder = new StreamBuilder("side-only");
        builder.source("in", CollectionSource.<Integer>of()).process(SPLIT, Named.as("split"))
                .sideOutput(NEGATIVE).to(new CollectingSink<>(), Named.as("negative"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            pipe(driver, 1, -2, 4, -5);
            assertEquals(List.of(-2, -5), driver.output("negative").readValuesToList());
        }
    }

    @Test
    void takingATagTwiceGivesOneStreamAndAnEqualTagFindsIt() {
        StreamBuilder builder = new StreamBuilder("twice");
        EventStream<Integer> main = builder.source("in", CollectionSource.<Integer>of())
                .process(SPLIT, Named.as("split"));
        main.to(new CollectingSink<>());
        main.sideOutput(ODD).to(new CollectingSink<>(), Named.as("first"));
        main.sideOutput(OutputTag.of("odd", String.class)).to(new CollectingSink<>(), Named.as("second"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            pipe(driver, 1, 3);
            assertEquals(List.of("odd-1", "odd-3"), driver.output("first").readValuesToList());
            assertEquals(List.of("odd-1", "odd-3"), driver.output("second").readValuesToList());
        }
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aValueOfAnotherTypeOrATagOfAnotherTypeGoesToTheErrorHandlerNamingBoth() {
        OutputTag<Integer> oddAsNumber = OutputTag.of("odd", Integer.class);
        List<FailedRecord> failed = new ArrayList<>();
        StreamBuilder builder = new StreamBuilder("typed");
        EventStream<Integer> main = builder.source("in", CollectionSource.<Integer>of())
                .process((Integer n, ProcessFunction.Context ctx, io.ringflow.function.Collector<Integer> out) -> {
                    if (n == 1) {
                        ctx.output((OutputTag) ODD, n); // a raw tag lets an Integer through to a String stream
                    } else if (n == 2) {
                        ctx.output(oddAsNumber, n);
                    } else {
                        ctx.output(ODD, "ok-" + n);
                    }
                }, Named.as("typed"));
        main.to(new CollectingSink<>());
        main.sideOutput(ODD).to(new CollectingSink<>(), Named.as("odd"));
        ErrorHandler collect = failed::add;
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(),
                PipelineConfig.defaults().withErrorHandler(collect))) {
            driver.<Integer>input("in").pipe(1).pipe(2).pipe(3);
            assertEquals(List.of("ok-3"), driver.output("odd").readValuesToList());
        }
        assertEquals(2, failed.size());
        assertEquals("a value of java.lang.Integer was emitted to OutputTag 'odd' of String; emit values of its"
                + " type, or use a tag of the values' type", failed.get(0).cause().getMessage());
        assertEquals("a value was emitted to OutputTag 'odd' of Integer, but the topology took side output 'odd'"
                + " as OutputTag 'odd' of String; use one tag for both", failed.get(1).cause().getMessage());
        assertTrue(failed.stream().allMatch(f -> f.operator().equals("typed")));
    }

    @Test
    void describeShowsEverySideOutputEdgeAndWhereItCrossesStages() {
        String description = splitting().describe();
        assertTrue(description.contains("  process 'split' -> main, split.odd (side output 'odd'),"
                + " split.negative (side output 'negative')\n"), description);
        assertTrue(description.contains("  sideOutput 'split.odd' -> shout\n"), description);
        assertTrue(description.contains("  sideOutput 'split.negative' -> by-parity\n"), description);
        assertTrue(description.contains("Stage 1: ") && description.contains("  <- hash from keyBy 'by-parity'\n"),
                description);
    }

    @Test
    void outputTagsAreEqualByName() {
        assertEquals(OutputTag.of("x", String.class), OutputTag.of("x", Integer.class));
        assertEquals(OutputTag.of("x", String.class).hashCode(), OutputTag.of("x", Long.class).hashCode());
        assertEquals("OutputTag 'x' of String", OutputTag.of("x", String.class).toString());
    }
}
