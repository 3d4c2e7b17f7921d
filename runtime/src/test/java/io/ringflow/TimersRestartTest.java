package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Timers are state: a pipeline checkpointed with timers pending, which then fires and deletes
 * more before it crashes, restarts from the checkpoint and gives, in a sink that commits with
 * checkpoints, exactly the alarms of a run that never stopped: no timer lost, none fired twice.
 */
class TimersRestartTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> QUOTES = StaleQuotes.quotes(4_000, 12, 7);

    @TempDir
    Path directory;

    private static Source<String> quotes(int limit, AtomicInteger next, AtomicBoolean crash, AtomicInteger resumedAt) {
        return quotes(new AtomicInteger(limit), next, crash, resumedAt);
    }

    /**
     * Emits {@link #QUOTES} from its restored position; once {@code limit} are out it waits (for
     * a higher limit), and throws when {@code crash} is set; it ends after the last quote.
     */
    private static Source<String> quotes(AtomicInteger limit, AtomicInteger next, AtomicBoolean crash,
                                         AtomicInteger resumedAt) {
        return context -> {
            next.set(context.restoredPosition().map(b -> ByteBuffer.wrap(b).getInt()).orElse(0));
            resumedAt.set(next.get());
            context.positionForCheckpoints(id -> ByteBuffer.allocate(4).putInt(next.get()).array());
            while (context.isRunning() && next.get() < QUOTES.size()) {
                if (next.get() < limit.get()) {
                    context.emit(QUOTES.get(next.get()));
                    next.incrementAndGet();
                } else if (crash.get()) {
                    throw new IllegalStateException("crash");
                } else {
                    Thread.sleep(1);
                }
            }
        };
    }

    private static Pipeline pipeline(Path state, Source<String> source, TransactionLog<KeyValue<String, String>, KeyValue<String, String>> sink, int parallelism) {
        StreamBuilder builder = new StreamBuilder("alarms");
        builder.source("quotes", source, StaleQuotes.eventTime())
                .keyBy(StaleQuotes::symbol)
                .process(new StaleQuotes(), Named.as("alarm"))
                .to(sink, Named.as("alarms"));
        return new Pipeline(builder.build(), PipelineConfig.defaults().withParallelism(parallelism)
                .withStateDirectory(state).withCheckpointing(Duration.ZERO));
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void aRestartFromACheckpointWithPendingTimersGivesTheAlarmsOfARunWithoutIt(int parallelism) throws Exception {
        TransactionLog<KeyValue<String, String>, KeyValue<String, String>> reference = TransactionLog.ofValues();
        try (Pipeline pipeline = pipeline(directory.resolve("reference"), quotes(QUOTES.size(), new AtomicInteger(),
                new AtomicBoolean(), new AtomicInteger()), reference, parallelism)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(TimersPipelineTest.driverAlarms(QUOTES), TimersPipelineTest.sorted(reference.committed), "the uninterrupted run");

        TransactionLog<KeyValue<String, String>, KeyValue<String, String>> log = TransactionLog.ofValues();
        Path state = directory.resolve("restarted");
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean crash = new AtomicBoolean();
        AtomicInteger limit = new AtomicInteger(1_500);
        try (Pipeline pipeline = pipeline(state, quotes(limit, next, crash, new AtomicInteger()), log, parallelism)) {
            pipeline.start();
            awaitTrue(() -> next.get() == 1_500);
            assertEquals(1, pipeline.checkpoint(TIMEOUT));
            // After the checkpoint, alarms fire and timers move on: the restart must roll all of it back.
            limit.set(3_000);
            awaitTrue(() -> next.get() == 3_000);
            Thread.sleep(50); // let the keyed shards fire what those quotes make due
            crash.set(true); // a failed pipeline takes no final checkpoint
            assertThrows(PipelineFailedException.class, () -> pipeline.awaitTermination(TIMEOUT));
        }
        int committedBeforeCrash = log.committed.size();
        assertTrue(committedBeforeCrash > 0, "checkpoint 1 committed alarms");

        AtomicInteger resumedAt = new AtomicInteger();
        try (Pipeline pipeline = pipeline(state, quotes(QUOTES.size(), new AtomicInteger(), new AtomicBoolean(),
                resumedAt), log, parallelism)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(1_500, resumedAt.get(), "resumed at the checkpoint");
        assertEquals(TimersPipelineTest.sorted(reference.committed), TimersPipelineTest.sorted(log.committed), "an alarm lost or fired twice across the restart");
        long firstResumedQuote = StaleQuotes.time(QUOTES.get(resumedAt.get()));
        assertTrue(log.committed.subList(committedBeforeCrash, log.committed.size()).stream()
                        .anyMatch(kv -> lastQuote(kv.value()) < firstResumedQuote),
                "no timer registered before the checkpoint fired after the restart: the test proves nothing");
    }

    /** L of "S stale at T, last quote L". */
    private static long lastQuote(String alarm) {
        return Long.parseLong(alarm.substring(alarm.lastIndexOf(' ') + 1));
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(5);
        }
    }
}
