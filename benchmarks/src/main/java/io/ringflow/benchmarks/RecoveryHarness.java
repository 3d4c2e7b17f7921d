package io.ringflow.benchmarks;

import io.ringflow.Named;
import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.StreamBuilder;
import io.ringflow.Topology;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How long a checkpoint of a given state size pauses the shards, and how long a restart takes
 * to restore it: a keyed running count over {@code keys} distinct keys on RocksDB, one
 * checkpoint once every key is counted, then a new pipeline on the same state directory,
 * timed from construction (which restores the checkpoint) to its first output.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.ringflow.benchmarks.RecoveryHarness [keys=1000000]</pre>
 */
public final class RecoveryHarness {

    private RecoveryHarness() {
    }

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path directory = Files.createTempDirectory("ringflow-recovery-");
        CountDownLatch counted = new CountDownLatch(keys);
        try (Pipeline pipeline = new Pipeline(topology(keys, counted, null), config(directory))) {
            pipeline.start();
            if (!counted.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("counting " + keys + " keys did not finish");
            }
            long start = System.nanoTime();
            pipeline.checkpoint(Duration.ofMinutes(5));
            System.out.printf("checkpoint of %,d keys: %.1f ms end to end, shards paused %.1f ms%n", keys,
                    (System.nanoTime() - start) / 1e6, pipeline.lastCheckpointPauseNanos() / 1e6);
        }
        CountDownLatch first = new CountDownLatch(1);
        long start = System.nanoTime();
        try (Pipeline restored = new Pipeline(topology(keys, null, first), config(directory))) {
            long constructed = System.nanoTime();
            restored.start();
            first.await(5, TimeUnit.MINUTES);
            long firstOutput = System.nanoTime();
            System.out.printf("restart on %,d keys: restore %.1f ms, first output after %.1f ms%n", keys,
                    (constructed - start) / 1e6, (firstOutput - start) / 1e6);
        }
        System.out.printf("state directory size: %,d bytes%n", size(directory));
    }

    private static PipelineConfig config(Path directory) {
        return PipelineConfig.defaults().withStateDirectory(directory).withCheckpointing(Duration.ZERO);
    }

    /** Emits each key once (resuming after the restored position), then idles; counts per key. */
    private static Topology topology(int keys, CountDownLatch counted, CountDownLatch first) {
        StreamBuilder builder = new StreamBuilder("recovery");
        builder.<Integer>source("keys", context -> {
                    int[] next = {context.restoredPosition().map(b -> ByteBuffer.wrap(b).getInt()).orElse(0)};
                    context.positionForCheckpoints(id -> ByteBuffer.allocate(4).putInt(next[0]).array());
                    while (context.isRunning()) {
                        if (next[0] < keys) {
                            context.emit(next[0]++);
                        } else if (first != null) {
                            context.emit(0); // one more record, to time the first output after restore
                            Thread.sleep(1_000);
                        } else {
                            Thread.sleep(1);
                        }
                    }
                })
                .keyBy(k -> k)
                .count(Named.as("counts"))
                .toStream()
                .to((kv, ts) -> {
                    if (counted != null) {
                        counted.countDown();
                    }
                    if (first != null) {
                        first.countDown();
                    }
                });
        return builder.build();
    }

    private static long size(Path directory) throws IOException {
        try (var files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
