package io.ringflow.benchmarks;

import io.ringflow.Named;
import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.StreamBuilder;
import io.ringflow.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * What periodic checkpoints cost a keyed count over many keys on RocksDB: the source emits
 * keys drawn uniformly from {@code keys} distinct ones as fast as the pipeline takes them, and
 * the harness prints the records counted in each second and every checkpoint's pause. Run it
 * once with checkpoints and once without ({@code checkpointMs = 0}) to get the ratio.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.ringflow.benchmarks.CheckpointThroughputHarness \
 *     [keys=1000000] [seconds=40] [checkpointMs=5000] [memoryMiB=0 (the default budget)]</pre>
 */
public final class CheckpointThroughputHarness {

    private CheckpointThroughputHarness() {
    }

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        long checkpointMs = args.length > 2 ? Long.parseLong(args[2]) : 5_000;
        long memoryMiB = args.length > 3 ? Long.parseLong(args[3]) : 0;
        Path directory = Files.createTempDirectory("ringflow-checkpoint-throughput-");
        PipelineConfig config = PipelineConfig.defaults().withStateDirectory(directory)
                .withCheckpointing(Duration.ofMillis(checkpointMs));
        if (memoryMiB > 0) {
            config = config.withStateMemory(memoryMiB << 20);
        }
        LongAdder counted = new LongAdder();
        List<Long> pauses = new ArrayList<>();
        List<Long> perSecond = new ArrayList<>();
        try (Pipeline pipeline = new Pipeline(topology(keys, counted), config)) {
            pipeline.start();
            long lastCheckpoint = 0;
            long previous = 0;
            long next = System.nanoTime();
            for (int second = 1; second <= seconds; second++) {
                next += 1_000_000_000L;
                while (System.nanoTime() < next) {
                    Thread.sleep(20);
                    if (pipeline.lastCheckpoint() != lastCheckpoint) {
                        lastCheckpoint = pipeline.lastCheckpoint();
                        pauses.add(pipeline.lastCheckpointPauseNanos());
                        System.out.printf("  checkpoint %d: shards paused %.1f ms%n", lastCheckpoint,
                                pipeline.lastCheckpointPauseNanos() / 1e6);
                    }
                }
                long now = counted.sum();
                perSecond.add(now - previous);
                System.out.printf("second %3d: %,10d records/s%n", second, now - previous);
                previous = now;
            }
        }
        summarize(keys, checkpointMs, perSecond, pauses);
    }

    private static void summarize(int keys, long checkpointMs, List<Long> perSecond, List<Long> pauses) {
        // The first fifth is warm-up: the JIT and the first pass over the keys.
        List<Long> measured = perSecond.subList(perSecond.size() / 5, perSecond.size());
        double mean = measured.stream().mapToLong(Long::longValue).average().orElse(0);
        long min = measured.stream().mapToLong(Long::longValue).min().orElse(0);
        System.out.printf("keys %,d, checkpoint every %d ms: mean %,.0f records/s, slowest second %,d%n",
                keys, checkpointMs, mean, min);
        if (!pauses.isEmpty()) {
            List<Long> sorted = new ArrayList<>(pauses);
            Collections.sort(sorted);
            System.out.printf("%d checkpoints: pause median %.1f ms, p99 %.1f ms, max %.1f ms%n", sorted.size(),
                    sorted.get(sorted.size() / 2) / 1e6,
                    sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)) / 1e6,
                    sorted.get(sorted.size() - 1) / 1e6);
        }
    }

    /** Uniformly drawn keys (a xorshift generator: no allocation but the boxed key), counted per key. */
    private static Topology topology(int keys, LongAdder counted) {
        StreamBuilder builder = new StreamBuilder("checkpoint-throughput");
        builder.<Integer>source("keys", context -> {
                    long state = 0x9E3779B97F4A7C15L;
                    while (context.isRunning()) {
                        state ^= state << 13;
                        state ^= state >>> 7;
                        state ^= state << 17;
                        context.emit((int) Long.remainderUnsigned(state, keys));
                    }
                })
                .keyBy(k -> k)
                .count(Named.as("counts"))
                .toStream()
                .to((kv, ts) -> counted.increment());
        return builder.build();
    }
}
