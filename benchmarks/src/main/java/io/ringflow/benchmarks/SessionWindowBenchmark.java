package io.ringflow.benchmarks;

import io.ringflow.state.Serdes;
import io.ringflow.state.StateBackend;
import io.ringflow.state.WindowStore;
import io.ringflow.state.memory.InMemoryStateBackend;
import io.ringflow.state.rocksdb.RocksDbStateBackend;
import io.ringflow.windowing.EmitStrategy;
import io.ringflow.windowing.SessionState;
import io.ringflow.windowing.SessionWindowAggregation;
import io.ringflow.windowing.SessionWindows;
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
 * Records per second of a session-window count on one shard, 1,000 keys, sessions opening and
 * closing all the time: the keys take turns in ten groups of 100, each group getting 10 ms of
 * event time (about ten records per key) and then 90 ms of silence, with a 20 ms gap, so
 * every key starts a new session every 100 ms of event time and its last one closes before
 * the next begins. Event time advances 10 µs a record and the watermark follows 50 ms behind,
 * moved after every batch of 100 records, as a shard would; sessions are emitted on close.
 * So each key's history of closed sessions grows by ten per event-time second, and a session
 * lookup that walked it would slow down as the run goes on. State on RocksDB behind the
 * default write-back cache, on RocksDB with the cache off, or on the heap.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar SessionWindowBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SessionWindowBenchmark {

    static final int KEYS = 1_000;
    static final int GROUPS = 10;
    static final int BATCH = 100;
    /** Event time advances 10 µs a record: 100,000 records per second of event time. */
    static final long MICROS_PER_RECORD = 10;
    /** Each group of keys is active for this long, then silent for {@code (GROUPS - 1)} times as long. */
    static final long BURST_MILLIS = 10;
    static final long LAG_MILLIS = 50;
    static final Duration GAP = Duration.ofMillis(20);

    @Param({"rocksdb-cached", "rocksdb-no-cache", "in-memory"})
    public String store;

    private Path directory;
    private StateBackend backend;
    private WindowStore<String, SessionState<Long>> state;
    private SessionWindowAggregation<String, Long, Long> aggregation;
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
        directory = Files.createTempDirectory("ringflow-session-bench-");
        backend = switch (store) {
            case "rocksdb-cached" -> new RocksDbStateBackend(directory, 1, 64L << 20, 100_000);
            case "rocksdb-no-cache" -> new RocksDbStateBackend(directory, 1, 64L << 20, 0);
            case "in-memory" -> new InMemoryStateBackend();
            default -> throw new IllegalArgumentException("unknown store " + store);
        };
        state = backend.windowStore(0, "sessions", Serdes.string(), SessionState.serde(Serdes.longs()));
        aggregation = new SessionWindowAggregation<>(SessionWindows.withGap(GAP), EmitStrategy.onWindowClose(), state,
                new Counting(), (key, window, count, timestamp) -> this.blackhole.consume(count), (key, value, timestamp) -> { });
    }

    @TearDown
    public void close() throws IOException {
        state.close();
        backend.close();
        Directories.deleteTree(directory);
    }

    /** One batch of records in event-time order, then the watermark moves to 50 ms behind the last. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void update() throws Exception {
        long watermark = 0;
        for (int i = 0; i < BATCH; i++) {
            long timestamp = record * MICROS_PER_RECORD / 1_000;
            watermark = timestamp - LAG_MILLIS;
            aggregation.onRecord(keys[keyOf(record, timestamp)], 1L, timestamp, watermark);
            record++;
        }
        aggregation.onWatermark(watermark);
    }

    /** The active group is the one whose turn this 10 ms is; its 100 keys take turns record by record. */
    private static int keyOf(long record, long timestamp) {
        int group = (int) (timestamp / BURST_MILLIS % GROUPS);
        return group * (KEYS / GROUPS) + (int) (record % (KEYS / GROUPS));
    }

    /** A count, merged by adding. */
    private static final class Counting implements WindowedAggregation.Aggregate<String, Long, Long> {
        @Override
        public Long initial() {
            return 0L;
        }

        @Override
        public Long add(String key, Long value, Long count) {
            return count + 1;
        }

        @Override
        public Long merge(String key, Long left, Long right) {
            return left + right;
        }
    }
}
