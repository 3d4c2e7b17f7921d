package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.watermark.WatermarkStrategy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** Every thread a pipeline runs is one {@link Topology#describe(PipelineConfig)} names. */
class TopologyTest {

    @TempDir
    Path directory;

    /** Emits nothing until stopped, so every reader's thread stays alive while a test looks. */
    private static final class QuietSource implements Source<String> {
        private final int readers;

        QuietSource(int readers) {
            this.readers = readers;
        }

        @Override
        public void run(SourceContext<String> context) {
            while (context.isRunning()) {
                LockSupport.parkNanos(1_000_000);
            }
        }

        @Override
        public int readers() {
            return readers;
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /**
     * A keyed count behind a source with idleness, one reader per shard: reader, shard, timer and
     * checkpoint threads all exist, and no shard ends at once for want of input.
     */
    private static Topology counting(String name, int readers) {
        StreamBuilder builder = new StreamBuilder(name);
        builder.source("in", new QuietSource(readers), WatermarkStrategy.<String>forMonotonousTimestamps()
                        .withIdleness(Duration.ofMillis(100)))
                .keyBy(s -> s, Named.as("by-value"))
                .count(Named.as("counts"))
                .toStream()
                .to(new CollectingSink<>(), Named.as("out"));
        return builder.build();
    }

    private PipelineConfig checkpointed(int parallelism, Duration interval) {
        return PipelineConfig.defaults().withParallelism(parallelism).withStateDirectory(directory)
                .withCheckpointing(interval);
    }

    /** The thread names a description lists: each on its own line, {@code "  <name>: <what it does>"}. */
    private static Set<String> describedThreads(String description) {
        Set<String> names = new TreeSet<>();
        for (String line : description.split("\n")) {
            if (line.startsWith("  ringflow-")) {
                names.add(line.substring(2, line.indexOf(": ")));
            }
        }
        return names;
    }

    /** Helpers exist only while a checkpoint is written; every other described thread runs from start to end. */
    private static boolean duringCheckpointsOnly(String thread) {
        return thread.contains("-checkpoint-shard-");
    }

    /** The live threads whose names carry the pipeline's prefix, {@code ringflow-<name>-}. */
    private static Set<String> threadsOf(String pipeline) {
        Set<String> names = new TreeSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("ringflow-" + pipeline + "-")) {
                names.add(thread.getName());
            }
        }
        return names;
    }

    @Test
    void aPipelineNeverStartedHasNoThreadNotEvenTheCheckpointScheduler() {
        Pipeline pipeline = new Pipeline(counting("unstarted", 2), checkpointed(2, Duration.ofMillis(20)));
        try {
            assertEquals(Set.of(), threadsOf("unstarted"));
        } finally {
            pipeline.close();
        }
        assertEquals(Set.of(), threadsOf("unstarted"));
    }

    @Test
    void describeNamesEveryThreadTheTimerAndTheCheckpointThreadsIncluded() {
        String description = counting("described", 2).describe(checkpointed(2, Duration.ofSeconds(1))
                .withSourceChaining(false));
        assertEquals(new TreeSet<>(List.of("ringflow-described-source-in-0", "ringflow-described-source-in-1",
                        "ringflow-described-stage0-shard0", "ringflow-described-stage0-shard1",
                        "ringflow-described-stage1-shard0", "ringflow-described-stage1-shard1",
                        "ringflow-described-timer", "ringflow-described-checkpoints",
                        "ringflow-described-checkpoint-shard-1")),
                describedThreads(description), description);
    }

    @Test
    void aShardFedByOneReaderRunsOnThatReadersThreadAndOneFedByTwoHasItsOwn() {
        // Three readers on two shards: shard 0 is fed by readers 0 and 2, shard 1 by reader 1 alone.
        String description = counting("chained", 3).describe(checkpointed(2, Duration.ofSeconds(1)));
        assertEquals(new TreeSet<>(List.of("ringflow-chained-source-in-0", "ringflow-chained-source-in-1",
                        "ringflow-chained-source-in-2", "ringflow-chained-stage0-shard0",
                        "ringflow-chained-stage1-shard0", "ringflow-chained-stage1-shard1",
                        "ringflow-chained-timer", "ringflow-chained-checkpoints",
                        "ringflow-chained-checkpoint-shard-1")),
                describedThreads(description), description);
        assertTrue(description.contains("ringflow-chained-source-in-1: runs reader 1 of source 'in' and the chain"
                + " of stage 0 shard 1"), description);
        assertTrue(description.contains("Stage 0: 2 shard(s), 1 run on the thread of the one reader that feeds it"),
                description);
    }

    @Test
    void onDemandCheckpointsHaveNoSchedulerThreadAndHeapStateNoCheckpointHelpers() {
        Topology topology = counting("on-demand", 2);
        Set<String> onDemand = describedThreads(topology.describe(checkpointed(2, Duration.ZERO)));
        assertFalse(onDemand.contains("ringflow-on-demand-checkpoints"), onDemand.toString());
        assertTrue(onDemand.contains("ringflow-on-demand-checkpoint-shard-1"), onDemand.toString());

        Set<String> off = describedThreads(topology.describe(PipelineConfig.defaults().withParallelism(2)));
        assertFalse(off.stream().anyMatch(thread -> thread.contains("checkpoint")), off.toString());
    }

    @ParameterizedTest(name = "{0} readers, source chaining {1}")
    @CsvSource({"2, true", "2, false", "3, true"})
    void theThreadsDescribedAreExactlyThoseARunningPipelineHas(int readers, boolean chaining) {
        Topology topology = counting("running", readers);
        // The scheduler runs, but starts no checkpoint (and so no helper) while the test looks.
        PipelineConfig config = checkpointed(2, Duration.ofHours(1)).withSourceChaining(chaining);
        Set<String> steady = new TreeSet<>(describedThreads(topology.describe(config)));
        steady.removeIf(TopologyTest::duringCheckpointsOnly);
        try (Pipeline pipeline = new Pipeline(topology, config)) {
            pipeline.start();
            assertEquals(steady, threadsOf("running"));
        }
    }

    @Test
    void everyThreadACheckpointStartsIsDescribed() throws Exception {
        Topology topology = counting("checkpointing", 3);
        PipelineConfig config = checkpointed(3, Duration.ZERO);
        Set<String> described = describedThreads(topology.describe(config));
        Set<String> seen = new ConcurrentSkipListSet<>();
        AtomicBoolean looking = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (looking.get()) {
                seen.addAll(threadsOf("checkpointing"));
            }
        });
        try (Pipeline pipeline = new Pipeline(topology, config)) {
            pipeline.start();
            sampler.start();
            for (int i = 0; i < 20; i++) {
                pipeline.checkpoint(TIMEOUT);
            }
        } finally {
            looking.set(false);
            sampler.join();
        }
        assertFalse(seen.isEmpty());
        Set<String> undescribed = new TreeSet<>(seen);
        undescribed.removeAll(described);
        assertEquals(Set.of(), undescribed, "threads the description does not name; it names " + described);
    }
}
