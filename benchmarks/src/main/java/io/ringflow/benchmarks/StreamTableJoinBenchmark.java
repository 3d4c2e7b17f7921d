package io.ringflow.benchmarks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ringflow.Materialized;
import io.ringflow.error.ErrorHandler;
import io.ringflow.function.ValueJoiner;
import io.ringflow.internal.join.StreamTableJoinOperator;
import io.ringflow.internal.metrics.PipelineMetrics;
import io.ringflow.internal.operator.OperatorContext;
import io.ringflow.internal.operator.Output;
import io.ringflow.internal.operator.ShardClock;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Average time per record of the stream-table join's operator on one shard, as the shard's
 * thread runs it: a table of {@value #KEYS} prices ({@code String -> Double}, all present), and
 * stream records of those keys in a fixed uniformly random order, each looked up, joined (a
 * multiplication) and pushed on; or table updates, each a write. Every invocation is one
 * ring-buffer batch of {@value #BATCH} records followed by {@code endOfBatch()}, as in the
 * pipeline. State on RocksDB behind the default write-back cache (100,000 entries, so every key
 * fits), on RocksDB with no cache (a JNI read per record), or on the heap.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar StreamTableJoinBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StreamTableJoinBenchmark {

    static final int KEYS = 10_000;
    static final int BATCH = 64;

    @Param({"rocksdb-cached", "rocksdb", "in-memory"})
    public String store;

    private Path directory;
    private StateBackend backend;
    private StreamTableJoinOperator join;
    private Output trades;
    private Output prices;
    private String[] order;
    private Double[] values;
    private int next;

    @Setup
    public void open(Blackhole blackhole) throws IOException {
        directory = Files.createTempDirectory("ringflow-join-bench-");
        backend = switch (store) {
            case "rocksdb-cached" -> new RocksDbStateBackend(directory, 1, 64L << 20, 100_000);
            case "rocksdb" -> new RocksDbStateBackend(directory, 1, 64L << 20, 0);
            case "in-memory" -> new InMemoryStateBackend();
            default -> throw new IllegalArgumentException("unknown store " + store);
        };
        PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry(), "join-bench");
        OperatorContext.StateStores stores = new OperatorContext.StateStores() {
            @Override
            public StateBackend backend(String operator, boolean inMemory) {
                return backend;
            }

            @Override
            public PipelineMetrics metrics() {
                return metrics;
            }
        };
        OperatorContext context = new OperatorContext("price", "join", 0, ErrorHandler.failPipeline(), stores,
                new ShardClock());
        ValueJoiner<Long, Double, Double> notional = (quantity, price) -> quantity * price;
        join = new StreamTableJoinOperator(context, notional, null, false,
                Materialized.with(Serdes.string(), Serdes.doubles()),
                (key, value, timestamp) -> blackhole.consume(value));
        join.open();
        trades = join.input(0);
        prices = join.input(1);
        String[] keys = new String[KEYS];
        values = new Double[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "SYM" + i;
            values[i] = 1.0 + i;
            prices.push(keys[i], values[i], 0);
        }
        join.flushState();
        SplittableRandom random = new SplittableRandom(42);
        order = new String[1 << 20];
        for (int i = 0; i < order.length; i++) {
            order[i] = keys[random.nextInt(KEYS)];
        }
    }

    @TearDown
    public void close() throws IOException {
        join.close();
        backend.close();
        Directories.deleteTree(directory);
    }

    private String nextKey() {
        String key = order[next];
        next = (next + 1) & (order.length - 1);
        return key;
    }

    private static final Long QUANTITY = 100L;

    /** One stream record: the key's price read, joined and pushed on. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void streamRecord() {
        for (int i = 0; i < BATCH; i++) {
            trades.push(nextKey(), QUANTITY, i);
        }
        join.endOfBatch();
    }

    /** One table update: the key's new price written. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void tableUpdate() {
        for (int i = 0; i < BATCH; i++) {
            prices.push(nextKey(), values[i], i);
        }
        join.endOfBatch();
    }
}
