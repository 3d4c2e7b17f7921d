package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.state.StateException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Restarts that do little or nothing (no new input, a kill before the first record, a stop
 * before the start) and pipelines that meet on one state directory: each keeps every key's
 * state exactly, or is refused before it touches anything.
 */
class RestartTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int KEYS = 10;

    @TempDir
    Path directory;

    private Pipeline counting(Source<String> source, Map<String, Long> latest, int parallelism) {
        return counting(source, (kv, ts) -> latest.put(kv.key(), kv.value()), parallelism);
    }

    private Pipeline counting(Source<String> source, Sink<KeyValue<String, Long>> sink, int parallelism) {
        StreamBuilder builder = new StreamBuilder("restarts");
        builder.source("log", source)
                .keyBy(s -> s)
                .count(Named.as("counts"))
                .toStream()
                .to(sink, Named.as("latest"));
        return new Pipeline(builder.build(), PipelineConfig.defaults().withParallelism(parallelism)
                .withStateDirectory(directory).withCheckpointing(Duration.ZERO).withCheckpointsRetained(2));
    }

    /** Runs the bounded log to its end and returns each key's last count. */
    private Map<String, Long> runToEnd(ReplayableLog log, int parallelism) throws InterruptedException {
        Map<String, Long> latest = new ConcurrentHashMap<>();
        try (Pipeline pipeline = counting(log.bounded(), latest, parallelism)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT), "the bounded run did not end");
        }
        return new TreeMap<>(latest);
    }

    private static Map<String, Long> everyKey(long count) {
        Map<String, Long> expected = new TreeMap<>();
        for (int k = 0; k < KEYS; k++) {
            expected.put("k" + k, count);
        }
        return expected;
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void aRestartThatProcessedNothingKeepsEveryKeysState(int parallelism) throws Exception {
        ReplayableLog log = new ReplayableLog(parallelism).append(1_000, KEYS);
        assertEquals(everyKey(100), runToEnd(log, parallelism));
        assertEquals(Map.of(), runToEnd(log, parallelism), "a run without new input wrote counts");
        log.append(1_000, KEYS);
        assertEquals(everyKey(200), runToEnd(log, parallelism), "state was lost by the run that read nothing");
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void aCrashBeforeTheKeyedOperatorsFirstRecordKeepsItsRestoredState(int parallelism) throws Exception {
        ReplayableLog log = new ReplayableLog(parallelism).append(1_000, KEYS);
        assertEquals(everyKey(100), runToEnd(log, parallelism));
        // The restarted pipeline reads nothing, checkpoints twice (retention keeps two, so the
        // one the first run wrote goes), then dies without a final checkpoint.
        CountDownLatch idle = new CountDownLatch(parallelism);
        try (Pipeline pipeline = counting(log.waiting(idle), (kv, ts) -> {
            throw new IllegalStateException("no record reaches the sink in this run");
        }, parallelism)) {
            pipeline.start();
            assertTrue(idle.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            pipeline.checkpoint(TIMEOUT);
            pipeline.checkpoint(TIMEOUT);
            log.crash.set(true);
            assertThrows(PipelineFailedException.class, () -> pipeline.awaitTermination(TIMEOUT));
        }
        log.crash.set(false);
        log.append(1_000, KEYS);
        assertEquals(everyKey(200), runToEnd(log, parallelism), "state was lost by the checkpoints of a quiet run");
    }

    @Test
    void aSecondPipelineOnADirectoryInUseIsRefusedAtConstructionAndTheFirstKeepsCheckpointing() throws Exception {
        ReplayableLog log = new ReplayableLog(1).append(1_000, KEYS);
        Map<String, Long> latest = new ConcurrentHashMap<>();
        CountDownLatch idle = new CountDownLatch(1);
        try (Pipeline running = counting(log.waiting(idle), latest, 1)) {
            running.start();
            assertTrue(idle.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            running.checkpoint(TIMEOUT);
            StateException refused = assertThrows(StateException.class,
                    () -> counting(log.bounded(), new ConcurrentHashMap<>(), 1));
            assertEquals("state directory " + directory + " is in use by another pipeline or process (it holds the"
                    + " directory's lock): stop the other Ringflow instance, or give this pipeline a state directory"
                    + " of its own with PipelineConfig.withStateDirectory(...)", refused.getMessage());
            running.checkpoint(TIMEOUT); // its live files are untouched: this would fail on a missing MANIFEST
            assertEquals(Pipeline.State.RUNNING, running.state());
        }
        log.append(1_000, KEYS);
        assertEquals(everyKey(200), runToEnd(log, 1));
    }

    @Test
    void withoutCheckpointingASecondPipelineIsRefusedAtConstructionToo() throws Exception {
        StreamBuilder builder = new StreamBuilder("plain");
        builder.source("log", new ReplayableLog(1).append(10, KEYS).waiting(new CountDownLatch(1)))
                .keyBy(s -> s).count(Named.as("counts")).toStream().to((kv, ts) -> { });
        Topology topology = builder.build();
        PipelineConfig config = PipelineConfig.defaults().withStateDirectory(directory);
        try (Pipeline first = new Pipeline(topology, config)) {
            first.start();
            StateException refused = assertThrows(StateException.class, () -> new Pipeline(topology, config));
            assertTrue(refused.getMessage().startsWith("state directory " + directory + " is in use"),
                    refused.getMessage());
        }
        new Pipeline(topology, config).close(); // released once the first has closed
    }

    @Test
    void aStopBeforeStartIsKeptAndThePipelineEndsAtOnceReadingNothing() throws Exception {
        ReplayableLog log = new ReplayableLog(1).append(100, KEYS);
        Map<String, Long> latest = new ConcurrentHashMap<>();
        try (Pipeline pipeline = counting(log.waiting(new CountDownLatch(1)), latest, 1)) {
            pipeline.stop();
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT), "the stop before start was lost: the pipeline runs on");
            assertEquals(Pipeline.State.COMPLETED, pipeline.state());
        }
        assertEquals(0, log.emitted.get());
        assertEquals(everyKey(10), runToEnd(log, 1), "the stopped run's final checkpoint lost the position");
    }

    @Test
    void aStopRacingTheStartIsNeverLost() throws Exception {
        for (int round = 0; round < 20; round++) {
            StreamBuilder builder = new StreamBuilder("race");
            builder.source("log", new ReplayableLog(1).append(10, KEYS).waiting(new CountDownLatch(1)))
                    .map(s -> s).to((s, ts) -> { });
            try (Pipeline pipeline = new Pipeline(builder.build())) {
                CountDownLatch go = new CountDownLatch(1);
                Thread stopper = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    pipeline.stop();
                });
                stopper.start();
                go.countDown();
                pipeline.start();
                stopper.join();
                assertTrue(pipeline.awaitTermination(TIMEOUT), "round " + round + ": the stop was lost");
            }
        }
    }

    /**
     * A stop interrupts the source threads; the last thread to end writes the final checkpoint
     * and closes the sinks, and must not do that interrupted (a Kafka producer's close then
     * fails with InterruptException). The sink here fails the same way. Which thread ends last
     * is a race, so it is run many times.
     */
    @Test
    void aStopIsAlwaysCleanEvenWhenTheLastThreadToEndIsAnInterruptedSourceThread() throws Exception {
        for (int round = 0; round < 40; round++) {
            StreamBuilder builder = new StreamBuilder("clean-stop");
            CountDownLatch idle = new CountDownLatch(1);
            builder.source("log", new Source<String>() {
                @Override
                public void run(SourceContext<String> context) {
                    context.emit("k0");
                    idle.countDown();
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // the usual idiom: keep the flag for the caller
                    }
                }
            }).keyBy(s -> s).count(Named.as("counts")).toStream().to(new Sink<>() {
                @Override
                public void write(KeyValue<String, Long> value, long timestamp) {
                }

                @Override
                public void close() throws InterruptedException {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedException("closed by an interrupted thread");
                    }
                }
            });
            try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults()
                    .withStateDirectory(directory.resolve("r" + round)).withCheckpointing(Duration.ZERO))) {
                pipeline.start();
                assertTrue(idle.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
                pipeline.stop();
                assertTrue(pipeline.awaitTermination(TIMEOUT));
                assertFalse(pipeline.failure().isPresent(), "round " + round + ": " + pipeline.failure());
            }
        }
    }
}
