package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.error.ErrorHandler;
import io.ringflow.error.FailedRecord;
import io.ringflow.testing.TestInput;
import io.ringflow.testing.TopologyTestDriver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A record that throws in user code goes to the configured handler: fail the pipeline with the
 * original cause and the record, log and continue, or dead-letter. Nothing vanishes and a
 * failure never hangs the pipeline.
 */
class ErrorHandlingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<Integer> ONE_TO_HUNDRED = IntStream.rangeClosed(1, 100).boxed().toList();

    @Test
    void failPipelineStopsWithTheOriginalCauseAndTheRecord() throws Exception {
        AtomicReference<RuntimeException> thrown = new AtomicReference<>();
        StreamBuilder builder = new StreamBuilder("fail");
        builder.source("in", new SequenceSource(1))
                .map(n -> {
                    if (n == 500) {
                        RuntimeException e = new IllegalStateException("bad value 500");
                        thrown.set(e);
                        throw e;
                    }
                    return n;
                }, Named.as("check"))
                .to(new CollectingSink<>());

        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withRingSize(64))) {
            pipeline.start();
            PipelineFailedException failure = assertThrows(PipelineFailedException.class,
                    () -> pipeline.awaitTermination(TIMEOUT));
            assertSame(thrown.get(), failure.getCause());
            FailedRecord record = failure.failedRecord().orElseThrow();
            assertEquals("check", record.operator());
            assertEquals("map", record.kind());
            assertEquals(500L, record.value());
            assertEquals("pipeline 'fail' failed: map 'check' (shard 0) failed on record key=null, value=500, timestamp="
                    + record.timestamp() + ": java.lang.IllegalStateException: bad value 500", failure.getMessage());
            assertEquals(Pipeline.State.FAILED, pipeline.state());
        }
    }

    @Test
    void failureInAKeyedStageUnblocksASourceWaitingOnAFullRing() throws Exception {
        StreamBuilder builder = new StreamBuilder("unblock");
        builder.source("in", new SequenceSource(2))
                .keyBy(n -> n % 4)
                .aggregate(() -> 0L, (key, n, sum) -> {
                    if (n == 3_000) {
                        throw new ArithmeticException("overflow at " + n);
                    }
                    return sum + n;
                }, Named.as("sum"))
                .to((record, timestamp) -> { });

        try (Pipeline pipeline = new Pipeline(builder.build(),
                PipelineConfig.defaults().withParallelism(2).withRingSize(8))) {
            pipeline.start();
            PipelineFailedException failure = assertThrows(PipelineFailedException.class,
                    () -> pipeline.awaitTermination(TIMEOUT));
            assertInstanceOf(ArithmeticException.class, failure.getCause());
            assertEquals("sum", failure.failedRecord().orElseThrow().operator());
        }
    }

    @Test
    void logAndContinueSkipsOnlyTheFailingRecords() throws Exception {
        CollectingSink<Integer> out = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("skip");
        builder.source("in", CollectionSource.of(ONE_TO_HUNDRED)).map(ErrorHandlingTest::failOnTens).to(out);

        run(builder.build(), PipelineConfig.defaults().withErrorHandler(ErrorHandler.logAndContinue()));

        assertEquals(ONE_TO_HUNDRED.stream().filter(n -> n % 10 != 0).toList(), out.values());
    }

    @Test
    void deadLetterReceivesEveryFailedRecordWithItsContext() throws Exception {
        CollectingSink<Integer> out = new CollectingSink<>();
        CollectingSink<FailedRecord> deadLetters = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("dlq");
        builder.source("in", CollectionSource.of(ONE_TO_HUNDRED).withTimestamps(n -> n * 1000L))
                .map(ErrorHandlingTest::failOnTens, Named.as("explode"))
                .to(out);

        run(builder.build(), PipelineConfig.defaults().withParallelism(2)
                .withErrorHandler(ErrorHandler.deadLetter(deadLetters)));

        assertEquals(90, out.size());
        List<FailedRecord> failed = deadLetters.values();
        assertEquals(List.of(10, 20, 30, 40, 50, 60, 70, 80, 90, 100), failed.stream().map(FailedRecord::value).toList());
        FailedRecord first = failed.get(0);
        assertEquals("explode", first.operator());
        assertEquals(10_000L, first.timestamp());
        assertEquals("no tens: 10", first.cause().getMessage());
    }

    @Test
    void failingSinkWritesGoToTheHandler() throws Exception {
        CollectingSink<FailedRecord> deadLetters = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("sink");
        builder.source("in", CollectionSource.of(ONE_TO_HUNDRED))
                .to((n, ts) -> failOnTens(n), Named.as("picky-sink"));

        run(builder.build(), PipelineConfig.defaults().withErrorHandler(ErrorHandler.deadLetter(deadLetters)));

        assertEquals(10, deadLetters.size());
        assertEquals("sink", deadLetters.values().get(0).kind());
        assertEquals("picky-sink", deadLetters.values().get(0).operator());
    }

    @Test
    void nullKeyIsAFailedRecordThatSaysWhatToDo() throws Exception {
        CollectingSink<FailedRecord> deadLetters = new CollectingSink<>();
        CollectingSink<KeyValue<String, Long>> counts = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("keys");
        builder.source("in", CollectionSource.of("a", "", "b"))
                .keyBy(s -> s.isEmpty() ? null : s, Named.as("by-text"))
                .count()
                .to(counts);

        run(builder.build(), PipelineConfig.defaults().withErrorHandler(ErrorHandler.deadLetter(deadLetters)));

        assertEquals(List.of(KeyValue.of("a", 1L), KeyValue.of("b", 1L)), counts.values());
        assertEquals("keyBy 'by-text' returned a null key; every record needs a key to choose its shard:"
                        + " return a non-null key or filter such records out before keyBy",
                deadLetters.values().get(0).cause().getMessage());
    }

    @Test
    void sourceReportsUndecodableInputToTheHandlerAndCarriesOn() throws Exception {
        CollectingSink<Integer> out = new CollectingSink<>();
        CollectingSink<FailedRecord> deadLetters = new CollectingSink<>();
        Source<Integer> parsing = context -> {
            for (String raw : List.of("1", "two", "3")) {
                try {
                    context.emit(Integer.parseInt(raw));
                } catch (NumberFormatException e) {
                    context.reportError(raw, e);
                }
            }
        };
        StreamBuilder builder = new StreamBuilder("decode");
        builder.source("numbers", parsing).to(out);

        run(builder.build(), PipelineConfig.defaults().withErrorHandler(ErrorHandler.deadLetter(deadLetters)));

        assertEquals(List.of(1, 3), out.values());
        FailedRecord failed = deadLetters.values().get(0);
        assertEquals("numbers", failed.operator());
        assertEquals("source", failed.kind());
        assertEquals("two", failed.value());
    }

    @Test
    void sourceThatThrowsFailsThePipelineNamingTheSource() throws Exception {
        StreamBuilder builder = new StreamBuilder("broken");
        builder.source("feed", context -> {
            context.emit("ok");
            throw new java.io.IOException("connection reset");
        }).to(new CollectingSink<>());

        try (Pipeline pipeline = new Pipeline(builder.build())) {
            pipeline.start();
            PipelineFailedException failure = assertThrows(PipelineFailedException.class,
                    () -> pipeline.awaitTermination(TIMEOUT));
            assertEquals("pipeline 'broken' failed in source 'feed' reader 0: java.io.IOException: connection reset",
                    failure.getMessage());
            assertTrue(failure.failedRecord().isEmpty());
        }
    }

    @Test
    void deadLetterSinkThatThrowsFailsThePipelineRatherThanLoseTheRecord() throws Exception {
        StreamBuilder builder = new StreamBuilder("dlq-down");
        builder.source("in", CollectionSource.of(ONE_TO_HUNDRED)).map(ErrorHandlingTest::failOnTens).to(new CollectingSink<>());
        ErrorHandler brokenDeadLetters = ErrorHandler.deadLetter((record, ts) -> {
            throw new IllegalStateException("dead-letter topic unavailable");
        });

        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withErrorHandler(brokenDeadLetters))) {
            pipeline.start();
            PipelineFailedException failure = assertThrows(PipelineFailedException.class,
                    () -> pipeline.awaitTermination(TIMEOUT));
            assertEquals(10, failure.failedRecord().orElseThrow().value());
            assertEquals("no tens: 10", failure.getCause().getMessage(), "the original cause stays the cause");
        }
    }

    @Test
    void testDriverFailsOnTheFirstBadRecordAndBlamesTheOperatorThatThrew() {
        StreamBuilder builder = new StreamBuilder("driver");
        builder.source("in", CollectionSource.of(1))
                .<Integer>process((n, ctx, out) -> out.collect(n), Named.as("pass"))
                .map(ErrorHandlingTest::failOnTens, Named.as("explode"))
                .to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<Integer>input("in").pipe(9);
            PipelineFailedException failure = assertThrows(PipelineFailedException.class,
                    () -> driver.<Integer>input("in").pipe(10));
            assertEquals("explode", failure.failedRecord().orElseThrow().operator());
            assertEquals(List.of(9), driver.output("out").readValuesToList());
        }
    }

    private static int failOnTens(int n) {
        if (n % 10 == 0) {
            throw new IllegalArgumentException("no tens: " + n);
        }
        return n;
    }

    private static void run(Topology topology, PipelineConfig config) throws InterruptedException {
        try (Pipeline pipeline = new Pipeline(topology, config)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
    }

    @Test
    void aSinkThatCannotOpenStopsTheStartWithItsMessageAndClosesTheSinksAlreadyOpen() {
        java.util.concurrent.atomic.AtomicBoolean sourceRan = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger firstClosed = new java.util.concurrent.atomic.AtomicInteger();
        Sink<Integer> first = new Sink<>() {
            @Override
            public void write(Integer value, long timestamp) {
            }

            @Override
            public void close() {
                firstClosed.incrementAndGet();
            }
        };
        Sink<Integer> broken = new Sink<>() {
            @Override
            public void open() {
                throw new IllegalStateException("topic 'out' does not exist: create it first");
            }

            @Override
            public void write(Integer value, long timestamp) {
            }
        };
        StreamBuilder builder = new StreamBuilder("unopenable");
        EventStream<Integer> numbers = builder.source("numbers", context -> {
            sourceRan.set(true);
            context.emit(1);
        });
        numbers.to(first, Named.as("first"));
        numbers.to(broken, Named.as("out"));
        try (Pipeline pipeline = new Pipeline(builder.build())) {
            PipelineFailedException e = assertThrows(PipelineFailedException.class, pipeline::start);
            assertEquals("pipeline 'unopenable' could not start: sink 'out' failed to open: "
                    + "topic 'out' does not exist: create it first", e.getMessage());
        }
        assertEquals(false, sourceRan.get());
        assertEquals(1, firstClosed.get());
    }

    @Test
    void sourceFailureNamesTheReaderThatReadTheRecordNotAShard() throws Exception {
        CollectingSink<FailedRecord> deadLetters = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("decode");
        builder.source("numbers", new Source<Integer>() {
            @Override
            public int readers() {
                return 2;
            }

            @Override
            public void run(SourceContext<Integer> context) {
                if (context.reader() == 1) {
                    context.reportError("two", new NumberFormatException("For input string: \"two\""));
                }
            }
        }).to(new CollectingSink<>());

        run(builder.build(), PipelineConfig.defaults().withErrorHandler(ErrorHandler.deadLetter(deadLetters)));

        FailedRecord failed = deadLetters.values().get(0);
        assertEquals(1, failed.reader());
        assertEquals(-1, failed.shard());
        assertTrue(failed.isSourceFailure());
        assertEquals("source 'numbers' (reader 1) failed on record key=null, value=two, timestamp=" + failed.timestamp()
                + ": java.lang.NumberFormatException: For input string: \"two\"", failed.describe());
    }

    @Test
    void operatorFailureNamesItsShardAndNoReader() {
        FailedRecord failed = new FailedRecord("check", "map", 3, "k", 500L, 7L, new IllegalStateException("bad"));
        assertEquals(3, failed.shard());
        assertEquals(-1, failed.reader());
        assertEquals("map 'check' (shard 3) failed on record key=k, value=500, timestamp=7:"
                + " java.lang.IllegalStateException: bad", failed.describe());
    }

    @Test
    void logAndContinueCountsEveryFailedRecordInTheErrorsMeterThoughItLogsFew() {
        StreamBuilder builder = new StreamBuilder("many-bad");
        builder.source("in", CollectionSource.of(1)).map(ErrorHandlingTest::failOnTens, Named.as("picky"))
                .to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(),
                PipelineConfig.defaults().withErrorHandler(ErrorHandler.logAndContinue()))) {
            TestInput<Integer> in = driver.input("in");
            for (int n = 1; n <= 74_150; n++) {
                in.pipe(n);
            }
            assertEquals(74_150 - 7_415, driver.output("out").readValuesToList().size());
            assertEquals(7_415.0, driver.meterRegistry().get("ringflow.errors")
                    .tag("operator", "picky").tag("outcome", "logged").counter().count());
        }
    }
}
