package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringflow.collection.CollectingSink;
import io.ringflow.watermark.WatermarkStrategy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
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

    /** A keyed count behind a source with idleness: reader, shard, timer and checkpoint threads all exist. */
    private static Topology counting(String name) {
        StreamBuilder builder = new StreamBuilder(name);
        builder.source("in", new QuietSource(2), WatermarkStrategy.<String>forMonotonousTimestamps()
                        .withIdleness(Duration.ofMillis(100)))
                .keyBy(s -> s, Named.as("by-value"))
                .count(Named.as("counts"))
                .toStream()
                .to(new CollectingSink<>(), Named.as("out"));
        return builder.build();
    }

    private PipelineConfig checkpointed(Duration interval) {
        return PipelineConfig.defaults().withParallelism(2).withStateDirectory(directory).withCheckpointing(interval);
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
        Pipeline pipeline = new Pipeline(counting("unstarted"), checkpointed(Duration.ofMillis(20)));
        try {
            assertEquals(Set.of(), threadsOf("unstarted"));
        } finally {
            pipeline.close();
        }
        assertEquals(Set.of(), threadsOf("unstarted"));
    }
}
