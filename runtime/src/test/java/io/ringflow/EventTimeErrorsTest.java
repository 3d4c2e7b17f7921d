package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.error.ErrorHandler;
import io.ringflow.error.FailedRecord;
import io.ringflow.testing.TopologyTestDriver;
import io.ringflow.watermark.WatermarkStrategy;
import io.ringflow.windowing.TumblingWindows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Event time is assigned by user code (a timestamp extractor) and can be absurd (a clock a
 * year off): a record either fails goes to the error handler like any record user code fails
 * on, and never moves the watermark; an {@link Error} fails the pipeline naming the operator
 * and the record.
 */
class EventTimeErrorsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long YEAR = Duration.ofDays(365).toMillis();

    /** {@code "key@time"}: the time after the '@' is the record's event time. */
    private static long timeOf(String record) {
        return Long.parseLong(record.substring(record.indexOf('@') + 1));
    }

    private static StreamBuilder countsPerSecond(Source<String> source, WatermarkStrategy<String> watermarks,
                                                 CollectingSink<String> out) {
        StreamBuilder builder = new StreamBuilder("event-time");
        builder.source("in", source, watermarks)
                .keyBy(record -> record.substring(0, record.indexOf('@')))
                .window(TumblingWindows.of(Duration.ofSeconds(1)))
                .count(Named.as("per-second"))
                .toStream()
                .map(kv -> kv.key().key() + "@" + kv.key().window().start() + "=" + kv.value())
                .to(out, Named.as("out"));
        return builder;
    }

    private static WatermarkStrategy<String> parsed() {
        return WatermarkStrategy.<String>forBoundedOutOfOrderness(Duration.ZERO)
                .withTimestampExtractor((record, sourceTime) -> timeOf(record));
    }

    @Test
    void aTimestampExtractorThatThrowsSendsTheRecordToTheErrorHandlerAndTheOthersFlow() throws Exception {
        CollectingSink<FailedRecord> deadLetters = new CollectingSink<>();
        CollectingSink<String> out = new CollectingSink<>();
        StreamBuilder builder = countsPerSecond(CollectionSource.of("a@1000", "a@no-time", "a@1500", "a@2000"),
                parsed(), out);
        try (Pipeline pipeline = new Pipeline(builder.build(),
                PipelineConfig.defaults().withErrorHandler(ErrorHandler.deadLetter(deadLetters)))) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(List.of("a@1000=2", "a@2000=1"), out.values());
        assertEquals(1, deadLetters.values().size());
        FailedRecord failed = deadLetters.values().get(0);
        assertEquals("in", failed.operator());
        assertEquals("timestamp extractor", failed.kind());
        assertEquals("a@no-time", failed.value());
        assertEquals(0, failed.reader());
        assertTrue(failed.cause() instanceof NumberFormatException, String.valueOf(failed.cause()));
    }

    @Test
    void theTestDriverSendsAFailedTimestampToTheErrorHandlerToo() {
        CollectingSink<FailedRecord> deadLetters = new CollectingSink<>();
        StreamBuilder builder = countsPerSecond(CollectionSource.of("unused@0"), parsed(), new CollectingSink<>());
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(),
                PipelineConfig.defaults().withErrorHandler(ErrorHandler.deadLetter(deadLetters)))) {
            driver.<String>input("in").pipe("a@1000").pipe("a@x").pipe("a@2000");
            assertEquals(List.of("a@1000=1"), driver.<String>output("out").readValuesToList());
            assertEquals(List.of("a@x"), deadLetters.values().stream().map(FailedRecord::value).toList());
        }
    }

    @Test
    void anErrorInATimestampExtractorFailsThePipelineNamingTheSourceAndTheRecord() throws Exception {
        WatermarkStrategy<String> overflowing = WatermarkStrategy.<String>forBoundedOutOfOrderness(Duration.ZERO)
                .withTimestampExtractor((record, sourceTime) -> {
                    if (record.startsWith("deep")) {
                        throw new StackOverflowError("extractor recursed");
                    }
                    return timeOf(record);
                });
        StreamBuilder builder = countsPerSecond(CollectionSource.of("a@1000", "deep@1"), overflowing,
                new CollectingSink<>());
        try (Pipeline pipeline = new Pipeline(builder.build(),
                PipelineConfig.defaults().withErrorHandler(ErrorHandler.logAndContinue()))) {
            pipeline.start();
            PipelineFailedException failure = assertThrows(PipelineFailedException.class,
                    () -> pipeline.awaitTermination(TIMEOUT));
            FailedRecord record = failure.failedRecord().orElseThrow();
            assertEquals("in", record.operator());
            assertEquals("timestamp extractor", record.kind());
            assertEquals("deep@1", record.value());
            assertTrue(failure.getMessage().contains("timestamp extractor 'in'"), failure.getMessage());
            assertTrue(failure.getCause() instanceof StackOverflowError, String.valueOf(failure.getCause()));
        }
    }

    @Test
    void anErrorInAnOperatorFailsThePipelineNamingTheOperatorAndTheRecordNotOnlyTheThread() throws Exception {
        StreamBuilder builder = new StreamBuilder("errors");
        builder.source("in", CollectionSource.of(1, 2, 3))
                .map(n -> {
                    if (n == 2) {
                        throw new AssertionError("two is not allowed");
                    }
                    return n;
                }, Named.as("check"))
                .to(new CollectingSink<>());
        try (Pipeline pipeline = new Pipeline(builder.build(),
                PipelineConfig.defaults().withErrorHandler(ErrorHandler.logAndContinue()))) {
            pipeline.start();
            PipelineFailedException failure = assertThrows(PipelineFailedException.class,
                    () -> pipeline.awaitTermination(TIMEOUT));
            FailedRecord record = failure.failedRecord().orElseThrow();
            assertEquals("check", record.operator());
            assertEquals("map", record.kind());
            assertEquals(2, record.value());
            assertTrue(failure.getMessage().startsWith("pipeline 'errors' failed: map 'check'"), failure.getMessage());
            assertTrue(failure.getCause() instanceof AssertionError, String.valueOf(failure.getCause()));
        }
    }

    /** 7,000 records of the current second, spread over 7 s, and one stamped a year ahead after the first. */
    private static List<String> liveRecordsAndOneAYearAhead(long now) {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 7_000; i++) {
            records.add("k" + (i % 7) + "@" + (now + i));
            if (i == 0) {
                records.add("k0@" + (now + YEAR));
            }
        }
        return records;
    }

    private static long late(List<String> records, WatermarkStrategy<String> watermarks,
                             CollectingSink<FailedRecord> deadLetters) throws Exception {
        StreamBuilder builder = countsPerSecond(CollectionSource.of(records), watermarks, new CollectingSink<>());
        try (Pipeline pipeline = new Pipeline(builder.build(),
                PipelineConfig.defaults().withErrorHandler(ErrorHandler.deadLetter(deadLetters)))) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
            return pipeline.lateRecords("per-second");
        }
    }

    @Test
    void withoutAGuardOneRecordAYearAheadMakesEveryLaterRecordLate() throws Exception {
        long now = System.currentTimeMillis();
        assertEquals(6_999, late(liveRecordsAndOneAYearAhead(now), parsed(), new CollectingSink<>()));
    }

    @Test
    void aRecordBeyondTheMaximumDriftGoesToTheErrorHandlerAndDoesNotMoveTheWatermark() throws Exception {
        long now = System.currentTimeMillis();
        CollectingSink<FailedRecord> deadLetters = new CollectingSink<>();
        long late = late(liveRecordsAndOneAYearAhead(now), parsed().withMaxDriftAhead(Duration.ofHours(1)),
                deadLetters);
        assertEquals(0, late);
        assertEquals(List.of("k0@" + (now + YEAR)), deadLetters.values().stream().map(FailedRecord::value).toList());
        String message = deadLetters.values().get(0).cause().getMessage();
        assertTrue(message.startsWith("source 'in': event time " + (now + YEAR) + " is "), message);
        assertTrue(message.contains("ms ahead of processing time"), message);
        assertTrue(message.endsWith("more than the 3600000 ms withMaxDriftAhead allows: the record's clock or"
                + " timestamp unit is wrong; it was not processed and did not move the watermark"), message);
    }
}
