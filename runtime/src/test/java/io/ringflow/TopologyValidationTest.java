package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.testing.TopologyTestDriver;
import io.ringflow.watermark.WatermarkStrategy;
import io.ringflow.windowing.TumblingWindows;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A topology that cannot run fails while it is built, with a message that says what to change. */
class TopologyValidationTest {

    private static final Source<String> IN = CollectionSource.of("x");

    @Test
    void topologyWithoutSourceIsRejected() {
        TopologyException e = assertThrows(TopologyException.class, () -> new StreamBuilder("empty").build());
        assertEquals("topology 'empty' has no source: add one with builder.source(name, source)"
                + " and end its stream with to(sink)", e.getMessage());
    }

    @Test
    void streamThatReachesNoSinkIsRejectedNamingTheOperator() {
        StreamBuilder builder = new StreamBuilder("t");
        EventStream<String> in = builder.source("in", IN);
        in.to(new CollectingSink<>());
        in.map(String::length, Named.as("lengths"));
        TopologyException e = assertThrows(TopologyException.class, builder::build);
        assertEquals("topology 't': the output of map 'lengths' reaches no sink, so it would be computed and"
                + " thrown away; end that stream with to(sink), or remove it", e.getMessage());
    }

    @Test
    void keyedStreamWithoutAggregationOrSinkIsRejected() {
        StreamBuilder builder = new StreamBuilder("t");
        builder.source("in", IN).keyBy(s -> s, Named.as("by-self"));
        TopologyException e = assertThrows(TopologyException.class, builder::build);
        assertEquals("topology 't': the output of keyBy 'by-self' reaches no sink, so it would be computed and"
                + " thrown away; end that stream with to(sink), or remove it", e.getMessage());
    }

    @Test
    void duplicatedNameIsRejectedWhereItIsGiven() {
        StreamBuilder builder = new StreamBuilder("t");
        EventStream<String> in = builder.source("in", IN).map(String::trim, Named.as("clean"));
        TopologyException e = assertThrows(TopologyException.class,
                () -> in.filter(s -> true, Named.as("clean")));
        assertEquals("topology 't': the name 'clean' is used by both map 'clean' (reads source 'in') and filter"
                + " 'clean' (reads map 'clean'); names must be unique in a topology, because state, metrics and"
                + " test-driver outputs are looked up by name: give one of them another name with Named.as(...)",
                e.getMessage());
    }

    @Test
    void sourceWithNoReadersIsRejected() {
        StreamBuilder builder = new StreamBuilder("t");
        Source<String> broken = new Source<>() {
            @Override
            public void run(SourceContext<String> context) {
            }

            @Override
            public int readers() {
                return 0;
            }
        };
        builder.source("broken", broken).to(new CollectingSink<>());
        TopologyException e = assertThrows(TopologyException.class, builder::build);
        assertEquals("topology 't': source 'broken' has 0 readers; Source.readers() must return at least 1",
                e.getMessage());
    }

    @Test
    void mergingAStreamOfAnotherBuilderIsRejected() {
        StreamBuilder one = new StreamBuilder("one");
        StreamBuilder two = new StreamBuilder("two");
        EventStream<String> a = one.source("a", IN);
        EventStream<String> b = two.source("b", IN);
        TopologyException e = assertThrows(TopologyException.class, () -> a.merge(b));
        assertEquals("merge: the stream from source 'b' belongs to another StreamBuilder;"
                + " build both streams with the same builder", e.getMessage());
    }

    @Test
    void builderCannotChangeAfterBuild() {
        StreamBuilder builder = new StreamBuilder("t");
        EventStream<String> in = builder.source("in", IN);
        in.to(new CollectingSink<>());
        builder.build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> in.map(String::trim));
        assertEquals("this StreamBuilder has already built topology 't'; a topology cannot change once built:"
                + " use a new StreamBuilder", e.getMessage());
    }

    @Test
    void nullFunctionsAreRejectedWithTheirRole() {
        StreamBuilder builder = new StreamBuilder();
        EventStream<String> in = builder.source("in", IN);
        assertEquals("map function must not be null",
                assertThrows(IllegalArgumentException.class, () -> in.map(null)).getMessage());
        assertEquals("key selector must not be null",
                assertThrows(IllegalArgumentException.class, () -> in.keyBy(null)).getMessage());
        assertEquals("sink must not be null",
                assertThrows(IllegalArgumentException.class, () -> in.to(null)).getMessage());
    }

    @Test
    void badPipelineSettingsSayWhatToUse() {
        assertEquals("ring size must be a power of two (>= 2), got 1000; use 1024",
                assertThrows(IllegalArgumentException.class,
                        () -> PipelineConfig.defaults().withRingSize(1000)).getMessage());
        assertEquals("parallelism must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class,
                        () -> PipelineConfig.defaults().withParallelism(0)).getMessage());
    }

    @Test
    void testDriverNamesTheSourcesAndSinksThatExist() {
        StreamBuilder builder = new StreamBuilder("t");
        builder.source("in", IN).to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            assertEquals("topology 't' has no source named 'nope'; its sources are [in]",
                    assertThrows(IllegalArgumentException.class, () -> driver.input("nope")).getMessage());
            assertEquals("topology 't' has no sink named 'nope'; its sinks are [out]"
                            + " (name one with to(sink, Named.as(\"...\")))",
                    assertThrows(IllegalArgumentException.class, () -> driver.output("nope")).getMessage());
        }
    }

    @Test
    void ringSizeSuggestionAboveTwoToTheThirtyIsTheLargestPowerOfTwoAnIntHolds() {
        assertEquals("ring size must be a power of two (>= 2), got 1073741825; use 1073741824",
                assertThrows(IllegalArgumentException.class,
                        () -> PipelineConfig.defaults().withRingSize((1 << 30) + 1)).getMessage());
        assertEquals("ring size must be a power of two (>= 2), got 2147483647; use 1073741824",
                assertThrows(IllegalArgumentException.class,
                        () -> PipelineConfig.defaults().withRingSize(Integer.MAX_VALUE)).getMessage());
        assertEquals("ring size must be a power of two (>= 2), got 1; use 2",
                assertThrows(IllegalArgumentException.class,
                        () -> PipelineConfig.defaults().withRingSize(1)).getMessage());
        assertEquals("ring size must be a power of two (>= 2), got -8; use 2",
                assertThrows(IllegalArgumentException.class,
                        () -> PipelineConfig.defaults().withRingSize(-8)).getMessage());
    }

    @Test
    void reusedWindowedStreamWithNamedLateRecordsNamesBothLateSinksAndSaysToNameEachOwn() {
        StreamBuilder builder = new StreamBuilder("t");
        WindowedStream<String, String> windowed = builder
                .source("in", IN, WatermarkStrategy.<String>forBoundedOutOfOrderness(Duration.ZERO))
                .keyBy(s -> s)
                .window(TumblingWindows.of(Duration.ofSeconds(1)))
                .lateRecords(new CollectingSink<>(), Named.as("late"));
        windowed.count(Named.as("counts")).to(new CollectingSink<>());
        TopologyException e = assertThrows(TopologyException.class,
                () -> windowed.reduce((a, b) -> a + b, Named.as("joined")));
        assertEquals("topology 't': the name 'late' is used by both sink 'late' (writes the late records of window"
                + " 'counts') and sink 'late' (writes the late records of window 'joined'); names must be unique in a"
                + " topology, because state, metrics and test-driver outputs are looked up by name. Each aggregation"
                + " of a WindowedStream adds its own late-record sink, so a WindowedStream with"
                + " lateRecords(sink, Named.as(\"late\")) cannot be aggregated twice: call lateRecords(sink,"
                + " Named.as(\"joined-late\")) on it before the aggregation of window 'joined'", e.getMessage());
    }

    @Test
    void pipelineLateRecordsOfAnUnknownWindowThrowsListingTheWindows() {
        StreamBuilder builder = new StreamBuilder("t");
        builder.source("in", IN, WatermarkStrategy.<String>forBoundedOutOfOrderness(Duration.ZERO))
                .keyBy(s -> s)
                .window(TumblingWindows.of(Duration.ofSeconds(1)))
                .count(Named.as("counts"))
                .to(new CollectingSink<>());
        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withRingSize(8))) {
            assertEquals(0, pipeline.lateRecords("counts"));
            assertEquals("topology 't' has no window named 'typo'; its windows are [counts]",
                    assertThrows(IllegalArgumentException.class, () -> pipeline.lateRecords("typo")).getMessage());
        }
    }

    private static final OutputTag<String> REJECTED = OutputTag.of("rejected", String.class);

    @Test
    void aSideOutputOfAStreamNoProcessMadeIsRejectedSayingWhereToTakeIt() {
        StreamBuilder builder = new StreamBuilder("t");
        EventStream<String> in = builder.source("in", IN);
        EventStream<String> mapped = in.map(String::trim, Named.as("clean"));
        String expected = "topology 't': sideOutput(OutputTag 'rejected' of String) on map 'clean', which has no side"
                + " outputs: only process(...) emits to tags (ctx.output(tag, value)), so take the side output from"
                + " the stream process returns: stream.process(function).sideOutput(tag)";
        assertEquals(expected, assertThrows(TopologyException.class, () -> mapped.sideOutput(REJECTED)).getMessage());
        assertEquals(expected.replace("map 'clean'", "source 'in'"),
                assertThrows(TopologyException.class, () -> in.sideOutput(REJECTED)).getMessage());
        KeyedStream<String, Long> counts = in.keyBy(s -> s).count(Named.as("counts"));
        assertEquals(expected.replace("map 'clean'", "count 'counts'"),
                assertThrows(TopologyException.class, () -> counts.sideOutput(REJECTED)).getMessage());
    }

    @Test
    void aSecondTagOfOneNameWithAnotherTypeIsRejectedNamingBoth() {
        StreamBuilder builder = new StreamBuilder("t");
        EventStream<String> checked = builder.source("in", IN)
                .process((String s, io.ringflow.function.ProcessFunction.Context ctx,
                          io.ringflow.function.Collector<String> out) -> out.collect(s), Named.as("check"));
        checked.sideOutput(REJECTED).to(new CollectingSink<>());
        OutputTag<Integer> rejectedCodes = OutputTag.of("rejected", Integer.class);
        TopologyException e = assertThrows(TopologyException.class, () -> checked.sideOutput(rejectedCodes));
        assertEquals("topology 't': process 'check' already has side output 'rejected' as OutputTag 'rejected' of"
                + " String, and now OutputTag 'rejected' of Integer is asked for; a tag's name is unique per operator:"
                + " use the same OutputTag in the function and the topology, or give the other tag another name",
                e.getMessage());
    }

    @Test
    void aSideOutputThatReachesNoSinkIsRejectedNamingIt() {
        StreamBuilder builder = new StreamBuilder("t");
        EventStream<String> checked = builder.source("in", IN)
                .process((String s, io.ringflow.function.ProcessFunction.Context ctx,
                          io.ringflow.function.Collector<String> out) -> out.collect(s), Named.as("check"));
        checked.to(new CollectingSink<>());
        checked.sideOutput(REJECTED).map(String::length);
        TopologyException e = assertThrows(TopologyException.class, builder::build);
        assertEquals("topology 't': the output of map 'map-4' reaches no sink, so it would be computed and thrown"
                + " away; end that stream with to(sink), or remove it", e.getMessage());
    }

    @Test
    void badOutputTagsAreRejectedWhenCreated() {
        assertEquals("OutputTag.of(...) needs a non-blank name",
                assertThrows(IllegalArgumentException.class, () -> OutputTag.of(" ", String.class)).getMessage());
        assertEquals("output tag 'n' needs the class of its values, for example OutputTag.of(\"n\", String.class)",
                assertThrows(IllegalArgumentException.class, () -> OutputTag.of("n", null)).getMessage());
        assertEquals("output tag 'n': values are objects, so long can never match one; use its box class, for"
                + " example Long.class for long",
                assertThrows(IllegalArgumentException.class, () -> OutputTag.of("n", long.class)).getMessage());
        EventStream<String> in = new StreamBuilder("t").source("in", IN);
        assertEquals("output tag must not be null",
                assertThrows(IllegalArgumentException.class, () -> in.sideOutput(null)).getMessage());
    }

    private static final OutputTag<KeyValue<String, String>> LATE = OutputTag.of("late", KeyValue.class);

    private static WindowedStream<String, String> windowed(StreamBuilder builder) {
        return builder.source("in", IN, WatermarkStrategy.<String>forBoundedOutOfOrderness(Duration.ZERO))
                .keyBy(s -> s)
                .window(TumblingWindows.of(Duration.ofSeconds(1)));
    }

    @Test
    void lateRecordsOfAWindowWithoutSideOutputLateDataOrOfNoWindowAreRejectedSayingWhatToCall() {
        StreamBuilder builder = new StreamBuilder("t");
        KeyedStream<io.ringflow.windowing.Windowed<String>, Long> counts = windowed(builder).count(Named.as("counts"));
        String expected = "topology 't': lateRecords(OutputTag 'late' of KeyValue) on window 'counts', which makes no"
                + " stream of late records: call sideOutputLateData(tag) on the WindowedStream before its count, reduce"
                + " or aggregate, then lateRecords(tag) on the stream that returns";
        assertEquals(expected, assertThrows(TopologyException.class, () -> counts.lateRecords(LATE)).getMessage());
        KeyedStream<String, Long> running = new StreamBuilder("t").source("in", IN).keyBy(s -> s)
                .count(Named.as("running"));
        assertEquals(expected.replace("window 'counts'", "count 'running'"),
                assertThrows(TopologyException.class, () -> running.lateRecords(LATE)).getMessage());
    }

    @Test
    void lateRecordsTakenWithAnotherTagThanTheWindowsAreRejectedNamingItsTag() {
        StreamBuilder builder = new StreamBuilder("t");
        KeyedStream<io.ringflow.windowing.Windowed<String>, Long> counts = windowed(builder)
                .sideOutputLateData(LATE).count(Named.as("counts"));
        OutputTag<KeyValue<String, String>> other = OutputTag.of("too-late", KeyValue.class);
        assertEquals("topology 't': lateRecords(OutputTag 'too-late' of KeyValue) on window 'counts', whose late"
                        + " records go to OutputTag 'late' of KeyValue; take them with that tag",
                assertThrows(TopologyException.class, () -> counts.lateRecords(other)).getMessage());
    }

    @Test
    void aSideOutputOfAWindowIsRejectedPointingToLateRecords() {
        StreamBuilder builder = new StreamBuilder("t");
        KeyedStream<io.ringflow.windowing.Windowed<String>, Long> counts = windowed(builder)
                .sideOutputLateData(LATE).count(Named.as("counts"));
        assertEquals("topology 't': sideOutput(OutputTag 'rejected' of String) on window 'counts', which has no side"
                + " outputs: only process(...) emits to tags (ctx.output(tag, value)), so take the side output from"
                + " the stream process returns: stream.process(function).sideOutput(tag); a window's late records are"
                + " taken with lateRecords(tag), after sideOutputLateData(tag) on its WindowedStream",
                assertThrows(TopologyException.class, () -> counts.sideOutput(REJECTED)).getMessage());
        assertEquals("late-data tag must not be null", assertThrows(IllegalArgumentException.class,
                () -> windowed(new StreamBuilder("u")).sideOutputLateData(null)).getMessage());
    }
}
