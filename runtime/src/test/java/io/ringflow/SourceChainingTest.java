package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A first-stage shard fed by one reader runs its chain on that reader's thread
 * ({@link PipelineConfig#withSourceChaining}): the operators before {@code keyBy} see the
 * reader's thread, the keyed stage its own, and a stop's interrupt, meant to wake the reader
 * in its source, never lands inside the chain.
 */
class SourceChainingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void theChainBeforeKeyByRunsOnTheReadersThreadAndTheKeyedStageOnItsShardsThread() throws Exception {
        Map<String, Set<String>> threads = new ConcurrentHashMap<>();
        CollectingSink<KeyValue<Integer, Long>> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("chained");
        builder.source("in", CollectionSource.of(IntStream.range(0, 1_000).boxed().toList()))
                .map(i -> seenBy(threads, "map", i))
                .keyBy(i -> i % 3)
                .count()
                .toStream()
                .map(kv -> seenBy(threads, "after-keyBy", kv))
                .to(sink);
        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults())) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(Map.of("map", Set.of("ringflow-chained-source-in-0"),
                "after-keyBy", Set.of("ringflow-chained-stage1-shard0")), threads);
        Map<Integer, Long> last = new TreeMap<>();
        sink.values().forEach(kv -> last.put(kv.key(), kv.value()));
        assertEquals(Map.of(0, 334L, 1, 333L, 2, 333L), last);
        assertEquals(1_000, sink.size());
    }

    private static <T> T seenBy(Map<String, Set<String>> threads, String where, T value) {
        threads.computeIfAbsent(where, w -> ConcurrentHashMap.newKeySet()).add(Thread.currentThread().getName());
        return value;
    }

    /**
     * The reader is inside a slow map when the stop interrupts it. Reaching the map, the interrupt
     * would fail the record (an interrupted sleep); held back, it reaches the source as soon as the
     * chain returns, and wakes the source from its own sleep.
     */
    @Test
    void aStopWhileTheReaderIsInsideTheChainInterruptsOnlyTheSource() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        AtomicBoolean sourceWoken = new AtomicBoolean();
        Source<Integer> source = context -> {
            for (int i = 0; i <= 5; i++) {
                context.emit(i);
            }
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(1));
            } catch (InterruptedException stopped) {
                sourceWoken.set(true);
            }
        };
        CollectingSink<Integer> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("interrupted");
        builder.source("in", source)
                .map(i -> {
                    if (i == 5) {
                        inside.countDown();
                        Thread.sleep(300); // a stop's interrupt here would fail this record
                    }
                    return i;
                })
                .to(sink);
        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults())) {
            pipeline.start();
            assertTrue(inside.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            pipeline.stop();
            assertTrue(pipeline.awaitTermination(TIMEOUT), "the stop's interrupt never woke the source");
            assertNull(pipeline.failure().orElse(null));
        }
        assertTrue(sourceWoken.get(), "the source ended without its interrupt");
        assertEquals(List.of(0, 1, 2, 3, 4, 5), sink.values());
    }
}
