package io.ringflow.benchmarks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ringflow.Materialized;
import io.ringflow.error.ErrorHandler;
import io.ringflow.internal.join.IntervalJoinOperator;
import io.ringflow.internal.join.JoinSpec;
import io.ringflow.internal.join.JoinType;
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
 * Average time per record of one shard's interval join operator: records of 10,000 keys (picked
 * at random), alternately left and right, 1 ms of event time apart, joined within 5 s before and
 * 5 s after (so each record meets about half a record of the other side, and some 10,000 wait in
 * state), the watermark 20 ms behind and moved after every batch of {@value #BATCH}, as a shard
 * moves it. Each record reads the other side's records of its key, reads and writes its own
 * (key, time) entry; the watermark deletes what expired and, in a left join, emits the unmatched
 * left records. State on RocksDB behind the default write-back cache (100,000 entries), or on the heap.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar IntervalJoinBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class IntervalJoinBenchmark {

    static final int KEYS = 10_000;
    static final int BATCH = 100;
    static final long BOUND_MILLIS = 5_000;

    @Param({"inner", "left"})
    public String join;

    @Param({"rocksdb-cached", "in-memory"})
    public String store;

    private Path directory;
    private StateBackend backend;
    private IntervalJoinOperator operator;
    private Output left;
    private Output right;
    private final ShardClock clock = new ShardClock();
    private String[] keys;
    private String[] values;
    private int[] order;
    private long record;

    @Setup
    public void open(Blackhole blackhole) throws IOException {
        keys = new String[KEYS];
        values = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "key-" + i;
            values[i] = "value-" + i;
        }
        SplittableRandom random = new SplittableRandom(42);
        order = new int[1 << 20];
        for (int i = 0; i < order.length; i++) {
            order[i] = random.nextInt(KEYS);
        }
        directory = Files.createTempDirectory("ringflow-join-bench-");
        backend = store.equals("in-memory") ? new InMemoryStateBackend()
                : new RocksDbStateBackend(directory, 1, 64L << 20, 100_000);
        PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry(), "bench");
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
        OperatorContext context = new OperatorContext("join", "interval-join", 0, ErrorHandler.failPipeline(), stores,
                clock);
        JoinSpec spec = new JoinSpec(join.equals("inner") ? JoinType.INNER : JoinType.LEFT, BOUND_MILLIS, BOUND_MILLIS,
                (a, b) -> b == null ? a : b, Materialized.defaults(), Serdes.string(), Serdes.string());
        operator = new IntervalJoinOperator(context, spec, (key, value, timestamp) -> blackhole.consume(value));
        operator.open();
        left = operator.input(0);
        right = operator.input(1);
    }

    @TearDown
    public void close() throws IOException {
        operator.close();
        backend.close();
        Directories.deleteTree(directory);
    }

    /** One batch of records, then the watermark moves to 20 ms behind the last, as a shard would. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void joinRecords() {
        long timestamp = 0;
        for (int i = 0; i < BATCH; i++) {
            int key = order[(int) (record & (order.length - 1))];
            timestamp = record;
            (record % 2 == 0 ? left : right).push(keys[key], values[key], timestamp);
            record++;
        }
        long watermark = timestamp - 20;
        clock.outgoingWatermark = watermark;
        operator.onWatermark(watermark);
        clock.watermark = watermark;
        clock.recordWatermark = watermark;
        operator.endOfBatch();
    }
}
