package io.ringflow.benchmarks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ringflow.Materialized;
import io.ringflow.error.ErrorHandler;
import io.ringflow.internal.join.AsOfJoinOperator;
import io.ringflow.internal.metrics.PipelineMetrics;
import io.ringflow.internal.operator.OperatorContext;
import io.ringflow.internal.operator.Output;
import io.ringflow.internal.operator.ShardClock;
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
 * Average time per input record of one shard's as-of join operator ({@code AsOfJoinOperator}):
 * trades ({@code Long} quantities) joined with a versioned table of quotes ({@code Double}
 * prices), 10,000 symbols drawn at random, half the records trades and half quotes, event
 * time 10 µs a record (100,000 records per event-time second), the watermark 50 ms behind the
 * last record and moved after every batch of 100, as a shard would; history 1 s. So each
 * trade waits about 50 ms of event time in state, then leaves with one versioned read, and
 * versions older than 1 s behind the watermark are expired as the run goes: about 60,000
 * versions are kept (50,000 quotes a second of event time, plus the one valid per key), and
 * the setup runs 2 s of event time first so that every measured batch also expires. State on RocksDB
 * behind the default write-back cache (100,000 entries, for the waiting trades and the expiry
 * index; versions are written through), or on the heap.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar AsOfJoinBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AsOfJoinBenchmark {

    static final int KEYS = 10_000;
    static final int BATCH = 100;
    static final long MICROS_PER_RECORD = 10;
    static final long LAG_MILLIS = 50;
    static final long HISTORY_MILLIS = 1_000;
    /** Batches run before measuring: 2 s of event time, so the history is full and expiring. */
    static final int FILL_BATCHES = 2_000;

    @Param({"rocksdb-cached", "in-memory"})
    public String store;

    private Path directory;
    private StateBackend backend;
    private AsOfJoinOperator join;
    private Output trades;
    private Output quotes;
    private final ShardClock clock = new ShardClock();
    private String[] keys;
    private int[] order;
    private Long[] quantities;
    private Double[] prices;
    private long record;

    @Setup
    public void open(Blackhole blackhole) throws IOException {
        keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "SYM" + i;
        }
        SplittableRandom random = new SplittableRandom(42);
        order = new int[1 << 20];
        for (int i = 0; i < order.length; i++) {
            order[i] = random.nextInt(KEYS);
        }
        quantities = new Long[] {1L, 10L, 100L};
        prices = new Double[] {1.0810, 1.0830, 1.0820};
        directory = Files.createTempDirectory("ringflow-asof-bench-");
        backend = switch (store) {
            case "rocksdb-cached" -> new RocksDbStateBackend(directory, 1, 64L << 20, 100_000);
            case "in-memory" -> new InMemoryStateBackend();
            default -> throw new IllegalArgumentException("unknown store " + store);
        };
        PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry(), "as-of-bench");
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
        OperatorContext context = new OperatorContext("notional", "as-of-join", 0, ErrorHandler.failPipeline(),
                stores, clock);
        join = new AsOfJoinOperator(context, (Long quantity, Double price) -> quantity * price, false,
                HISTORY_MILLIS, Materialized.defaults(), Materialized.defaults(),
                (key, value, timestamp) -> blackhole.consume(value));
        join.open();
        trades = join.input(0);
        quotes = join.input(1);
        for (int i = 0; i < FILL_BATCHES; i++) {
            batch();
        }
    }

    @TearDown
    public void close() throws IOException {
        join.close();
        backend.close();
        Directories.deleteTree(directory);
    }

    /** One batch: records in event-time order, alternately a quote and a trade, then the watermark moves. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void batch() {
        long timestamp = 0;
        for (int i = 0; i < BATCH; i++) {
            timestamp = record * MICROS_PER_RECORD / 1_000;
            String key = keys[order[(int) (record & (order.length - 1))]];
            if ((record & 1) == 0) {
                quotes.push(key, prices[(int) (record % 3)], timestamp);
            } else {
                trades.push(key, quantities[(int) (record % 3)], timestamp);
            }
            record++;
        }
        long watermark = timestamp - LAG_MILLIS;
        if (watermark > clock.watermark) {
            clock.watermark = clock.outgoingWatermark = watermark;
            join.onWatermark(watermark);
        }
        join.endOfBatch();
    }
}
