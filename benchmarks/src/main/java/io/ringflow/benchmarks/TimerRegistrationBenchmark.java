package io.ringflow.benchmarks;

import io.ringflow.state.Serdes;
import io.ringflow.state.StateBackend;
import io.ringflow.state.TimerStore;
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
 * What a keyed {@code process} pays per record to keep one event-time timer per key a timeout
 * after the key's latest record, as the stale-quote alarm does:
 * delete the key's previous timer, register the new one, and, once per batch of
 * {@value #BATCH} records, fire what the watermark (event time minus 200 ms) has made due.
 * Event time moves 1 ms per record over {@value #KEYS} keys visited in a fixed random order, so
 * keys quiet for the timeout fire all along: the cost includes firing, not only registering.
 *
 * <ul>
 *   <li>{@code rocksdb}: the timer store of a pipeline with the default cache (a write buffer of
 *       100,000 changes over a RocksDB column family, written in one batch when timers are due
 *       or it fills).</li>
 *   <li>{@code rocksdb-unbuffered}: {@code withStateCacheEntries(0)}: every change is written
 *       to RocksDB at once.</li>
 *   <li>{@code in-memory}: the heap timer store, for reference.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TimerRegistrationBenchmark {

    static final int KEYS = 10_000;
    static final int BATCH = 64;

    @Param({"rocksdb", "rocksdb-unbuffered", "in-memory"})
    public String store;

    /** {@code 10000}: keys quiet for 10 s fire; {@code never}: registration alone, nothing comes due. */
    @Param({"10000", "never"})
    public String timeout;

    private long timeoutMillis;

    private Path directory;
    private StateBackend backend;
    private TimerStore<Long> timers;
    private long[] latest;
    private Long[] keys;
    private int[] order;
    private int next;
    private long eventTime = 1_000_000;
    private long fired;

    @Setup
    public void open() throws IOException {
        keys = new Long[KEYS];
        latest = new long[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = (long) i * 7919;
            latest[i] = -1;
        }
        SplittableRandom random = new SplittableRandom(42);
        order = new int[1 << 20];
        for (int i = 0; i < order.length; i++) {
            order[i] = random.nextInt(KEYS);
        }
        directory = Files.createTempDirectory("ringflow-timer-bench-");
        backend = switch (store) {
            // The pipeline's default cache size, which is also the timer store's write buffer.
            case "rocksdb" -> new RocksDbStateBackend(directory, 1, 64L << 20, 100_000);
            case "rocksdb-unbuffered" -> new RocksDbStateBackend(directory, 1, 64L << 20, 0);
            case "in-memory" -> new InMemoryStateBackend();
            default -> throw new IllegalArgumentException("unknown store " + store);
        };
        timers = backend.timerStore(0, "alarm.event-timers", Serdes.longs());
        timeoutMillis = timeout.equals("never") ? Long.MAX_VALUE / 4 : Long.parseLong(timeout);
    }

    @TearDown
    public void close() throws IOException {
        timers.close();
        backend.close();
        Directories.deleteTree(directory);
    }

    /** One batch: each record moves its key's timer; then the watermark fires what is due. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long moveTimerPerRecord() {
        for (int i = 0; i < BATCH; i++) {
            int k = order[next];
            next = (next + 1) & (order.length - 1);
            eventTime++;
            if (latest[k] >= 0) {
                timers.remove(latest[k] + timeoutMillis, keys[k]);
            }
            latest[k] = eventTime;
            timers.add(eventTime + timeoutMillis, keys[k]);
        }
        timers.pollUpTo(eventTime - 200, this::onTimer);
        return fired;
    }

    private void onTimer(long time, Long key) {
        fired++;
        latest[(int) (key / 7919)] = -1;
    }
}
