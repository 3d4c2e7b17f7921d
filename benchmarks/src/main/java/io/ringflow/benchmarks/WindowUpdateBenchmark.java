package io.ringflow.benchmarks;

import io.ringflow.state.StateBackend;
import io.ringflow.state.Serdes;
import io.ringflow.state.WindowStore;
import io.ringflow.state.memory.InMemoryStateBackend;
import io.ringflow.state.rocksdb.RocksDbStateBackend;
import io.ringflow.windowing.EmitStrategy;
import io.ringflow.windowing.HoppingWindows;
import io.ringflow.windowing.TimeWindowAggregation;
import io.ringflow.windowing.TimeWindows;
import io.ringflow.windowing.TumblingWindows;
import io.ringflow.windowing.WindowedAggregation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * Average time of one window update, the hot part of a windowed aggregation, on one shard:
 * a record of one of 1,000 keys with an advancing timestamp goes into a 1 s tumbling window
 * (emitted on every update) or a 10 s window hopping by 1 s (10 windows per record), with a
 * watermark 100 ms behind that closes windows as time passes, like the trading workload. State
 * on RocksDB behind the default write-back cache, or on the heap.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar WindowUpdateBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class WindowUpdateBenchmark {

    static final int KEYS = 1_000;
    static final int BATCH = 100;
    /** Event time advances 10 µs a record: 100,000 records per second of event time. */
    static final long MICROS_PER_RECORD = 10;

    @Param({"tumbling-1s", "hopping-10s-1s"})
    public String windows;

    @Param({"rocksdb-cached", "in-memory"})
    public String store;

    private Path directory;
    private StateBackend backend;
    private WindowStore<String, Long> state;
    private TimeWindowAggregation<String, Long, Long> aggregation;
    private String[] keys;
    private long record;
    private Blackhole blackhole;

    @Setup
    public void open(Blackhole blackhole) throws IOException {
        this.blackhole = blackhole;
        keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "SYM" + i;
        }
        directory = Files.createTempDirectory("ringflow-window-bench-");
        backend = store.equals("in-memory") ? new InMemoryStateBackend()
                : new RocksDbStateBackend(directory, 1, 64L << 20, 100_000);
        state = backend.windowStore(0, "windows", Serdes.string(), Serdes.longs());
        TimeWindows spec = windows.equals("tumbling-1s") ? TumblingWindows.of(Duration.ofSeconds(1))
                : HoppingWindows.of(Duration.ofSeconds(10)).advanceBy(Duration.ofSeconds(1));
        EmitStrategy emit = windows.equals("tumbling-1s") ? EmitStrategy.onEveryUpdate() : EmitStrategy.onWindowClose();
        aggregation = new TimeWindowAggregation<>(spec, emit, state, new WindowedAggregation.Aggregate<>() {
            @Override
            public Long initial() {
                return 0L;
            }

            @Override
            public Long add(String key, Long value, Long sum) {
                return sum + value;
            }
        }, (key, window, sum, timestamp) -> this.blackhole.consume(sum), (key, value, timestamp) -> { });
    }

    @TearDown
    public void close() throws IOException {
        state.close();
        backend.close();
        Directories.deleteTree(directory);
    }

    /** One batch of records, then the watermark moves to 100 ms behind the last, as a shard would. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void update() throws Exception {
        long watermark = 0;
        for (int i = 0; i < BATCH; i++) {
            long timestamp = record * MICROS_PER_RECORD / 1_000;
            watermark = timestamp - 100;
            aggregation.onRecord(keys[(int) (record % KEYS)], 1L, timestamp, watermark);
            record++;
        }
        aggregation.onWatermark(watermark);
    }
}
