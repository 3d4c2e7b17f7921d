package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The threaded pipeline: results, per-key order across shards, and the life cycle. */
class PipelineTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** One record of a partitioned input: which partition, which key, and its place among that key's records. */
    record Event(int partition, int key, int sequence) {
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 3})
    void keyedCountGivesEveryWordItsExactRunningCounts(int parallelism) throws Exception {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            words.add("w" + (i * 7919 % 101));
        }
        CollectingSink<KeyValue<String, Long>> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("count");
        builder.source("words", CollectionSource.of(words)).keyBy(w -> w).count().to(sink);

        runToCompletion(builder.build(), PipelineConfig.defaults().withParallelism(parallelism));

        Map<String, Long> expected = words.stream().collect(Collectors.groupingBy(w -> w, TreeMap::new, Collectors.counting()));
        Map<String, List<Long>> updates = new HashMap<>();
        for (KeyValue<String, Long> update : sink.values()) {
            updates.computeIfAbsent(update.key(), k -> new ArrayList<>()).add(update.value());
        }
        assertEquals(words.size(), sink.size());
        assertEquals(expected.keySet(), new TreeMap<>(updates).keySet());
        expected.forEach((word, count) -> assertEquals(
                LongRangeList.of(1, count), updates.get(word), "running counts of " + word));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(RingWaitStrategy.class)
    void everyWaitStrategyDeliversEveryRecordInOrder(RingWaitStrategy strategy) throws Exception {
        // Without chaining, so that the first stage has a ring its consumer waits on.
        CollectingSink<Integer> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("wait");
        builder.source("in", CollectionSource.of(IntStream.range(0, 5_000).boxed().toList()))
                .map(i -> i + 1)
                .filter(i -> i % 2 == 0)
                .to(sink);

        runToCompletion(builder.build(), PipelineConfig.defaults().withWaitStrategy(strategy).withRingSize(64)
                .withSourceChaining(false));

        assertEquals(IntStream.rangeClosed(1, 5_000).filter(i -> i % 2 == 0).boxed().toList(), sink.values());
    }

    @Test
    void recordsOfOneKeyReachKeyedOperatorsInSourceOrderAcrossShardsAndStages() throws Exception {
        int partitions = 3;
        int keys = 50;
        int perKey = 400;
        List<List<Event>> input = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            List<Event> partition = new ArrayList<>();
            for (int s = 0; s < perKey; s++) {
                for (int k = 0; k < keys; k++) {
                    partition.add(new Event(p, k, s));
                }
            }
            input.add(partition);
        }
        // What each keyed operator saw, per (partition, key): must be 0, 1, 2, ... with no gap.
        CollectingSink<KeyValue<Integer, Event>> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("order");
        builder.source("events", CollectionSource.partitioned(input))
                .map(e -> e)
                .keyBy(Event::key)
                .<Event>process((e, ctx, out) -> out.collect(e))
                .toStream()
                .keyBy(kv -> kv.key() % 7)
                .map(KeyValue::value)
                .keyBy(Event::key)
                .to(sink);

        runToCompletion(builder.build(), PipelineConfig.defaults().withParallelism(4).withRingSize(128));

        assertEquals(partitions * keys * perKey, sink.size());
        Map<List<Integer>, Integer> nextSequence = new HashMap<>();
        for (KeyValue<Integer, Event> kv : sink.values()) {
            Event e = kv.value();
            assertEquals(e.key(), kv.key());
            List<Integer> stream = List.of(e.partition(), e.key());
            int expected = nextSequence.getOrDefault(stream, 0);
            assertEquals(expected, e.sequence(), "order of key " + e.key() + " from partition " + e.partition());
            nextSequence.put(stream, expected + 1);
        }
    }

    @Test
    void mergeOfAKeyedStageAndAnUnkeyedStageDeliversBoth() throws Exception {
        CollectingSink<String> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("merge");
        EventStream<String> raw = builder.source("raw", CollectionSource.of(IntStream.range(0, 1_000).boxed().toList()))
                .map(i -> "raw-" + i);
        EventStream<String> counted = builder.source("keyed", CollectionSource.of(IntStream.range(0, 1_000).boxed().toList()))
                .keyBy(i -> i % 10)
                .count()
                .toStream()
                .map(kv -> "count-" + kv.key() + "-" + kv.value());
        raw.merge(counted).to(sink);
        Topology topology = builder.build();
        assertTrue(topology.describe().contains("<- forward from map"), topology.describe());

        runToCompletion(topology, PipelineConfig.defaults().withParallelism(2));

        List<String> expected = new ArrayList<>();
        IntStream.range(0, 1_000).forEach(i -> expected.add("raw-" + i));
        for (int key = 0; key < 10; key++) {
            for (int count = 1; count <= 100; count++) {
                expected.add("count-" + key + "-" + count);
            }
        }
        List<String> actual = new ArrayList<>(sink.values());
        expected.sort(null);
        actual.sort(null);
        assertEquals(expected, actual);
    }

    @Test
    void moreShardsThanReadersAndMoreReadersThanShardsBothComplete() throws Exception {
        List<List<Integer>> five = IntStream.range(0, 5).mapToObj(p -> IntStream.range(0, 100).boxed().toList()).toList();
        for (int parallelism : new int[] {2, 8}) {
            CollectingSink<Integer> sink = new CollectingSink<>();
            StreamBuilder builder = new StreamBuilder("spread");
            builder.source("in", CollectionSource.partitioned(five)).map(i -> i * 2).to(sink);
            runToCompletion(builder.build(), PipelineConfig.defaults().withParallelism(parallelism));
            assertEquals(500, sink.size(), "parallelism " + parallelism);
        }
    }

    @Test
    void stopDrainsEverythingInFlightSoCountInEqualsCountOut() throws Exception {
        SequenceSource source = new SequenceSource(2);
        CollectingSink<KeyValue<Long, Long>> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("drain");
        builder.source("seq", source).map(n -> n * 3).keyBy(n -> n % 16).count().to(sink);

        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withParallelism(2).withRingSize(256))) {
            pipeline.start();
            assertTrue(sink.awaitSize(20_000, TIMEOUT), "the pipeline did not produce 20,000 records");
            assertEquals(Pipeline.State.RUNNING, pipeline.state());
            pipeline.stop();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
            assertEquals(Pipeline.State.COMPLETED, pipeline.state());
        }

        assertEquals(source.emitted(), sink.size());
        Map<Long, Long> finalCounts = new HashMap<>();
        sink.values().forEach(kv -> finalCounts.merge(kv.key(), kv.value(), Math::max));
        assertEquals(source.emitted(), finalCounts.values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void sharedSinkIsFlushedPerBatchAndClosedOnceAfterTheLastWrite() throws Exception {
        java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger flushes = new java.util.concurrent.atomic.AtomicInteger();
        List<Integer> writesSeenAtClose = new java.util.concurrent.CopyOnWriteArrayList<>();
        Sink<Long> sink = new Sink<>() {
            @Override
            public void write(Long value, long timestamp) {
                writes.incrementAndGet();
            }

            @Override
            public void flush() {
                flushes.incrementAndGet();
            }

            @Override
            public void close() {
                writesSeenAtClose.add(writes.get());
            }
        };
        StreamBuilder builder = new StreamBuilder("close");
        builder.source("in", CollectionSource.of(IntStream.range(0, 10_000).boxed().toList()))
                .keyBy(i -> i).map(i -> (long) i).toStream().map(KeyValue::value).to(sink);

        runToCompletion(builder.build(), PipelineConfig.defaults().withParallelism(3));

        assertEquals(List.of(10_000), writesSeenAtClose);
        assertTrue(flushes.get() >= 3, "each shard flushes at least at the end of its last batch");
    }

    @Test
    void sinkThatFailsToCloseFailsThePipeline() throws Exception {
        StreamBuilder builder = new StreamBuilder("close-fails");
        builder.source("in", CollectionSource.of(1, 2, 3)).to(new Sink<>() {
            @Override
            public void write(Integer value, long timestamp) {
            }

            @Override
            public void close() throws java.io.IOException {
                throw new java.io.IOException("final flush failed");
            }
        }, Named.as("file"));
        try (Pipeline pipeline = new Pipeline(builder.build())) {
            pipeline.start();
            PipelineFailedException failure = assertThrows(PipelineFailedException.class,
                    () -> pipeline.awaitTermination(TIMEOUT));
            assertEquals("pipeline 'close-fails' failed in closing sink 'file': java.io.IOException: final flush failed",
                    failure.getMessage());
        }
    }

    @Test
    void lifeCycleStatesAndMisuse() throws Exception {
        StreamBuilder builder = new StreamBuilder("life");
        builder.source("seq", new SequenceSource(1)).to(new CollectingSink<>());
        Pipeline pipeline = new Pipeline(builder.build());
        assertEquals(Pipeline.State.CREATED, pipeline.state());
        assertThrows(IllegalStateException.class, () -> pipeline.awaitTermination(Duration.ofMillis(1)));
        pipeline.start();
        assertEquals("pipeline 'life' was already started; a pipeline runs once: create a new Pipeline to run"
                + " the topology again", assertThrows(IllegalStateException.class, pipeline::start).getMessage());
        assertFalse(pipeline.awaitTermination(Duration.ofMillis(20)), "an endless source does not end by itself");
        pipeline.close();
        assertEquals(Pipeline.State.CLOSED, pipeline.state());
        pipeline.close();
    }

    private static void runToCompletion(Topology topology, PipelineConfig config) throws InterruptedException {
        try (Pipeline pipeline = new Pipeline(topology, config)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT), "pipeline did not finish in " + TIMEOUT);
            assertEquals(Pipeline.State.COMPLETED, pipeline.state());
        }
    }

    /** 1, 2, ..., n as a list, to compare with running counts. */
    private static final class LongRangeList {
        static List<Long> of(long from, long to) {
            List<Long> list = new ArrayList<>();
            for (long i = from; i <= to; i++) {
                list.add(i);
            }
            return list;
        }
    }
}
