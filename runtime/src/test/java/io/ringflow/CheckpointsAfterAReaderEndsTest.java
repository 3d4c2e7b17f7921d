package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One reader ends while the other goes on, with periodic checkpoints. The ended reader's shard
 * pauses for no barrier any more, so a checkpoint started after it ended could never complete:
 * it held every shard that paused for it (the keyed stage) until the pipeline ended, and a
 * reader running its chain on its own thread forever. No checkpoint starts once a reader has
 * ended; the final one records where each reader stopped.
 */
class CheckpointsAfterAReaderEndsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int LATE_RECORDS = 300;

    @TempDir
    Path directory;

    @ParameterizedTest(name = "source chaining {0}")
    @ValueSource(booleans = {true, false})
    void theOtherReadersRecordsKeepFlowingAndCountExactly(boolean chaining) throws Exception {
        Map<String, Long> counts = new ConcurrentHashMap<>();
        CountDownLatch firstEnded = new CountDownLatch(1);
        AtomicReference<String> stalled = new AtomicReference<>();
        Source<String> source = new Source<>() {
            @Override
            public int readers() {
                return 2;
            }

            @Override
            public void run(SourceContext<String> context) throws InterruptedException {
                if (context.reader() == 0) {
                    for (int i = 0; i < 5; i++) {
                        context.emit("a");
                    }
                    return; // its end publishes after this; the other reader waits a moment for it
                }
                firstEnded.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                Thread.sleep(20);
                for (long i = 1; i <= LATE_RECORDS; i++) {
                    context.emit("b");
                    // Each record must reach the sink before the next: a keyed stage held in a
                    // checkpoint that cannot complete stops this source here.
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (counts.getOrDefault("b", 0L) < i) {
                        if (System.nanoTime() > deadline) {
                            stalled.set("record " + i + " of reader 1 did not reach the sink in 10 s");
                            return;
                        }
                        LockSupport.parkNanos(100_000);
                    }
                }
            }
        };
        StreamBuilder builder = new StreamBuilder("one-ends");
        builder.source("in", source)
                .keyBy(s -> s)
                .count(Named.as("counts"))
                .toStream()
                .to((Sink<KeyValue<String, Long>>) (kv, t) -> {
                    counts.put(kv.key(), kv.value());
                    if (kv.key().equals("a") && kv.value() == 5) {
                        firstEnded.countDown();
                    }
                });
        PipelineConfig config = PipelineConfig.defaults().withParallelism(2).withStateDirectory(directory)
                .withCheckpointing(Duration.ofMillis(2)).withSourceChaining(chaining);
        try (Pipeline pipeline = new Pipeline(builder.build(), config)) {
            pipeline.start();
            assertTrue(firstEnded.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            awaitReaderEnded(pipeline);
            RingflowException refused = assertThrows(RingflowException.class,
                    () -> pipeline.checkpoint(Duration.ofSeconds(5)));
            assertTrue(refused.getMessage().contains("source 'in' reader 0 ended"), refused.getMessage());
            assertTrue(pipeline.awaitTermination(TIMEOUT), "the pipeline did not end");
        }
        assertEquals(null, stalled.get());
        assertEquals(Map.of("a", 5L, "b", (long) LATE_RECORDS), counts);
    }

    /** Reader 0's end is published right after its last record; a manual checkpoint must come after it. */
    private static void awaitReaderEnded(Pipeline pipeline) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                pipeline.checkpoint(Duration.ofSeconds(5));
            } catch (RingflowException refused) {
                if (refused.getMessage().contains("reader 0 ended")) {
                    return;
                }
            }
            Thread.sleep(1);
        }
    }
}
