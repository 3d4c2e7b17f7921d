package io.ringflow.benchmarks;

import io.ringflow.state.KeyValueStore;
import io.ringflow.state.Serdes;
import io.ringflow.state.StateBackend;
import io.ringflow.state.memory.InMemoryStateBackend;
import io.ringflow.state.rocksdb.RocksDbStateBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Operations per second of one shard's key-value store holding a small counter per key
 * ({@code Long -> Long}, {@value #KEYS} keys, all present, visited in a fixed uniformly random
 * order): a point read, a blind write, and
 * the read-modify-write of a running count. Each invocation is one ring-buffer batch of
 * {@value #BATCH} operations followed by the {@code endOfBatch()} the runtime calls, so a
 * cached store writes to RocksDB when it would in the pipeline (when it fills).
 *
 * <ul>
 *   <li>{@code rocksdb}: every operation goes through JNI to RocksDB (memtable; the data fits
 *       the block cache).</li>
 *   <li>{@code rocksdb-cached}: the write-back cache in front of RocksDB with room for every
 *       key (10,000 entries): dirty keys are written, in one WriteBatch, each time all 10,000
 *       have been updated since the last write.</li>
 *   <li>{@code rocksdb-small-cache}: a cache of 1,000 entries over the 10,000 keys: most reads
 *       miss, and most updates are written back, in WriteBatches of 1,000.</li>
 *   <li>{@code in-memory}: the heap store, for reference.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StateStoreBenchmark {

    static final int KEYS = 10_000;
    static final int BATCH = 64;

    @Param({"rocksdb", "rocksdb-cached", "rocksdb-small-cache", "in-memory"})
    public String store;

    private Path directory;
    private StateBackend backend;
    private KeyValueStore<Long, Long> counts;
    private Long[] keys;
    private Long[] order;
    private int next;

    @Setup
    public void open() throws IOException {
        keys = new Long[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = (long) i * 7919;
        }
        // Uniformly random visits, as in a keyed stream without hot keys (visiting keys in turn
        // would be the adversary of any cache: every key dirtied once per pass).
        SplittableRandom random = new SplittableRandom(42);
        order = new Long[1 << 20];
        for (int i = 0; i < order.length; i++) {
            order[i] = keys[random.nextInt(KEYS)];
        }
        directory = Files.createTempDirectory("ringflow-state-bench-");
        backend = switch (store) {
            case "rocksdb" -> new RocksDbStateBackend(directory, 1, 64L << 20, 0);
            case "rocksdb-cached" -> new RocksDbStateBackend(directory, 1, 64L << 20, KEYS);
            case "rocksdb-small-cache" -> new RocksDbStateBackend(directory, 1, 64L << 20, KEYS / 10);
            case "in-memory" -> new InMemoryStateBackend();
            default -> throw new IllegalArgumentException("unknown store " + store);
        };
        counts = backend.keyValueStore(0, "counts", Serdes.longs(), Serdes.longs());
        for (Long key : keys) {
            counts.put(key, 0L);
        }
        counts.flush();
    }

    @TearDown
    public void close() throws IOException {
        counts.close();
        backend.close();
        Directories.deleteTree(directory);
    }

    private Long nextKey() {
        Long key = order[next];
        next = (next + 1) & (order.length - 1);
        return key;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long get() {
        long sum = 0;
        for (int i = 0; i < BATCH; i++) {
            sum += counts.get(nextKey());
        }
        counts.endOfBatch();
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void put() {
        for (int i = 0; i < BATCH; i++) {
            counts.put(nextKey(), (long) i);
        }
        counts.endOfBatch();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void increment() {
        for (int i = 0; i < BATCH; i++) {
            Long key = nextKey();
            counts.put(key, counts.get(key) + 1);
        }
        counts.endOfBatch();
    }
}
