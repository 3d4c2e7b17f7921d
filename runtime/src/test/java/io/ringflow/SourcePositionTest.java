package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.watermark.WatermarkStrategy;
import io.ringflow.windowing.TumblingWindows;
import io.ringflow.windowing.Windowed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a replayable source relies on: position marks, non-blocking emits, per-split watermarks. */
class SourcePositionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** A sink that records how many values it had seen each time it was synced. */
    private static final class SyncCountingSink implements Sink<Object> {
        final AtomicInteger written = new AtomicInteger();
        final List<Integer> writtenAtSync = new CopyOnWriteArrayList<>();

        @Override
        public void write(Object value, long timestamp) {
            written.incrementAndGet();
        }

        @Override
        public void sync() {
            writtenAtSync.add(written.get());
        }
    }

    @Test
    void aMarkIsWrittenOnlyAfterEveryEarlierRecordReachedTheSinkThroughEveryStage() throws Exception {
        SyncCountingSink sink = new SyncCountingSink();
        List<Integer> writtenWhenMarked = new CopyOnWriteArrayList<>();
        List<Boolean> awaited = new CopyOnWriteArrayList<>();
        StreamBuilder builder = new StreamBuilder("marks");
        builder.<Integer>source("numbers", context -> {
                    for (int round = 1; round <= 5; round++) {
                        for (int i = 0; i < 1_000; i++) {
                            context.emit(i, i);
                        }
                        long mark = context.inputCommits().markPosition();
                        awaited.add(context.inputCommits().awaitWritten(mark, TIMEOUT));
                        writtenWhenMarked.add(sink.written.get());
                        assertTrue(context.inputCommits().writtenMark() >= mark);
                    }
                })
                .keyBy(i -> i % 10)
                .map(i -> i * 2)
                .keyBy(i -> i % 7)
                .to((v, t) -> sink.write(v, t));
        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withParallelism(2))) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(List.of(true, true, true, true, true), awaited);
        // When the reader learns its mark is written, every record before it has been written.
        assertEquals(List.of(1_000, 2_000, 3_000, 4_000, 5_000), writtenWhenMarked);
    }

    @Test
    void everyShardSyncsItsSinksForEachMark() throws Exception {
        SyncCountingSink sink = new SyncCountingSink();
        StreamBuilder builder = new StreamBuilder("syncs");
        builder.<Integer>source("numbers", context -> {
                    for (int i = 0; i < 100; i++) {
                        context.emit(i, i);
                    }
                    context.inputCommits().awaitWritten(context.inputCommits().markPosition(), TIMEOUT);
                })
                .keyBy(i -> i % 10)
                .to(sink);
        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withParallelism(3))) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(3, sink.writtenAtSync.size(), "one sync per shard of the sink's stage: " + sink.writtenAtSync);
        assertEquals(100, (int) sink.writtenAtSync.stream().max(Integer::compare).orElseThrow());
    }

    /**
     * Unchained, the first stage's ring fills; chained, the chain runs on the reader's thread and
     * tryEmit refuses while the keyed stage's ring, which the chain feeds, is full.
     */
    @ParameterizedTest(name = "source chaining {0}")
    @ValueSource(booleans = {false, true})
    void tryEmitRefusesWhenTheRingIsFullAndNeverDropsWhatItAccepted(boolean chaining) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> out = new CopyOnWriteArrayList<>();
        AtomicInteger refused = new AtomicInteger();
        StreamBuilder builder = new StreamBuilder("try");
        builder.<Integer>source("numbers", context -> {
                    int next = 0;
                    while (next < 200) {
                        if (context.tryEmit(next, next, 0)) {
                            next++;
                        } else {
                            refused.incrementAndGet();
                            release.countDown();
                            Thread.onSpinWait();
                        }
                    }
                })
                .keyBy(i -> 0)
                .map(i -> i)
                .toStream()
                .map(KeyValue::value)
                .to((Sink<Integer>) (v, t) -> {
                    release.await(10, TimeUnit.SECONDS);
                    out.add(v);
                });
        try (Pipeline pipeline = new Pipeline(builder.build(),
                PipelineConfig.defaults().withRingSize(8).withSourceChaining(chaining))) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertTrue(refused.get() > 0, "the 8-slot ring never filled, so tryEmit was never refused");
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add(i);
        }
        assertEquals(expected, out);
    }

    @Test
    void tryEmitIntoAChainOnTheReadersThreadHasTheRecordWrittenWhenItReturns() throws Exception {
        List<Integer> out = new CopyOnWriteArrayList<>();
        List<Integer> seenAtReturn = new ArrayList<>();
        Set<String> sinkThreads = ConcurrentHashMap.newKeySet();
        StreamBuilder builder = new StreamBuilder("try-chained");
        builder.<Integer>source("numbers", context -> {
                    for (int next = 0; next < 200; next++) {
                        assertTrue(context.tryEmit(next, next, 0), "a chained tryEmit refused record " + next);
                        seenAtReturn.add(out.size());
                    }
                })
                .map(i -> i)
                .to((Sink<Integer>) (v, t) -> {
                    sinkThreads.add(Thread.currentThread().getName());
                    out.add(v);
                });
        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withRingSize(8))) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        List<Integer> expected = new ArrayList<>();
        List<Integer> expectedSeen = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add(i);
            expectedSeen.add(i + 1);
        }
        assertEquals(expected, out);
        assertEquals(expectedSeen, seenAtReturn, "each record reaches the sink before tryEmit returns");
        assertEquals(Set.of("ringflow-try-chained-source-numbers-0"), sinkThreads);
    }

    @Test
    void eachSplitHasItsOwnWatermarkAndTheReaderHoldsTheMinimum() throws Exception {
        // Split 0 runs far ahead of split 1 in one reader. With one watermark for the reader,
        // split 1's records would all be late; with one per split, none is.
        CollectingSink<KeyValue<Windowed<String>, Long>> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("splits");
        builder.<String>source("two-partitions", context -> {
                            context.addSplit(0);
                            context.addSplit(1);
                            for (int t = 0; t < 100; t++) {
                                context.emit("fast", 1_000 + t * 10, 0);
                            }
                            for (int t = 0; t < 100; t++) {
                                context.emit("slow", t * 10, 1);
                            }
                        },
                        WatermarkStrategy.forMonotonousTimestamps())
                .keyBy(s -> s)
                .window(TumblingWindows.of(Duration.ofMillis(500)))
                .count(Named.as("counts"))
                .to(sink);
        try (Pipeline pipeline = new Pipeline(builder.build())) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
            assertEquals(0, pipeline.lateRecords("counts"));
        }
        List<String> results = new ArrayList<>();
        sink.values().forEach(kv -> results.add(kv.key() + "=" + kv.value()));
        // The slow split's windows close first: the reader's watermark followed split 1.
        assertEquals(List.of("slow@[0, 500)=50", "slow@[500, 1000)=50", "fast@[1000, 1500)=50",
                "fast@[1500, 2000)=50"), results);
    }

    @Test
    void aRemovedSplitNoLongerHoldsTheWatermarkBack() throws Exception {
        CollectingSink<KeyValue<Windowed<String>, Long>> sink = new CollectingSink<>();
        List<Integer> seenBeforeEnd = new CopyOnWriteArrayList<>();
        StreamBuilder builder = new StreamBuilder("removed");
        builder.<String>source("partitions", context -> {
                            context.addSplit(0);
                            context.addSplit(1); // never sends: holds the watermark at nothing
                            for (int t = 0; t < 30; t++) {
                                context.emit("a", t * 100L, 0);
                            }
                            context.inputCommits().awaitWritten(context.inputCommits().markPosition(), TIMEOUT);
                            seenBeforeEnd.add(sink.values().size());
                            context.removeSplit(1);
                            context.emit("a", 3_000, 0);
                            context.inputCommits().awaitWritten(context.inputCommits().markPosition(), TIMEOUT);
                            seenBeforeEnd.add(sink.values().size());
                            while (context.isRunning()) {
                                Thread.sleep(5);
                            }
                        },
                        WatermarkStrategy.forMonotonousTimestamps())
                .keyBy(s -> s)
                .window(TumblingWindows.of(Duration.ofSeconds(1)))
                .count(Named.as("counts"))
                .to(sink);
        try (Pipeline pipeline = new Pipeline(builder.build())) {
            pipeline.start();
            sink.awaitSize(3, TIMEOUT);
            pipeline.stop();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(List.of(0, 3), seenBeforeEnd);
        assertFalse(sink.values().isEmpty());
    }
}
