package io.ringflow.benchmarks;

import io.ringflow.state.KeyValueStore;
import io.ringflow.state.Serdes;
import io.ringflow.state.internal.CheckpointFormat;
import io.ringflow.state.rocksdb.RocksDbStateBackend;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What moving one partition's keyed state between instances costs (shared checkpoints): the
 * losing instance's checkpoint of it, the gaining instance's copy of it out of that checkpoint
 * (RocksDB read-only open, then write batches into its own database) and the losing instance's
 * drop of it. A running count of {@code keys} keys in one partition's store, on RocksDB.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.ringflow.benchmarks.PartitionMoveHarness [keys=1000000]</pre>
 */
public final class PartitionMoveHarness {

    private static final long MEMORY = 64L << 20;
    private static final String STORE = "counts#3"; // the name a keyed count gives partition 3's store

    private PartitionMoveHarness() {
    }

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path directory = Files.createTempDirectory("ringflow-move-");
        Path checkpoint = directory.resolve(CheckpointFormat.checkpointDirectory(1));
        Files.createDirectories(checkpoint);
        try (RocksDbStateBackend owner = new RocksDbStateBackend(directory.resolve("owner"), 1, MEMORY, 10_000)) {
            KeyValueStore<Long, Long> counts = owner.keyValueStore(0, STORE, Serdes.longs(), Serdes.longs());
            for (long key = 0; key < keys; key++) {
                counts.put(key, key);
            }
            counts.flush();
            long start = System.nanoTime();
            owner.checkpoint(checkpoint);
            System.out.printf("checkpoint of the partition (%,d keys): %.1f ms%n", keys, (System.nanoTime() - start) / 1e6);
            counts.close();
            start = System.nanoTime();
            owner.dropStore(0, STORE);
            System.out.printf("drop on the losing instance: %.1f ms%n", (System.nanoTime() - start) / 1e6);
        }
        try (RocksDbStateBackend taker = new RocksDbStateBackend(directory.resolve("taker"), 1, MEMORY, 10_000)) {
            long start = System.nanoTime();
            taker.importStore(0, STORE, checkpoint);
            long imported = System.nanoTime();
            KeyValueStore<Long, Long> counts = taker.keyValueStore(0, STORE, Serdes.longs(), Serdes.longs());
            Long last = counts.get(keys - 1L);
            System.out.printf("copy into the gaining instance: %.1f ms (%,.0f keys/s), first read %.2f ms later%n",
                    (imported - start) / 1e6, keys / ((imported - start) / 1e9), (System.nanoTime() - imported) / 1e6);
            if (last == null || last != keys - 1L) {
                throw new IllegalStateException("the copy lost key " + (keys - 1) + ": " + last);
            }
            counts.close();
        }
        System.out.printf("checkpoint size: %,d bytes%n", size(checkpoint));
    }

    private static long size(Path directory) throws java.io.IOException {
        try (var files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
