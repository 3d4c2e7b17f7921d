package io.ringflow.benchmarks;

import io.ringflow.KeyValue;
import io.ringflow.Named;
import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.RingWaitStrategy;
import io.ringflow.StreamBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Records per second of a keyed running count through the whole threaded pipeline
 * ({@code source -> keyBy -> count -> sink}, {@value #KEYS} keys, parallelism 1) with its
 * state in each backend: RocksDB behind the default write-back cache (100,000 entries, room
 * for every key), behind a cache of 1,000 entries (keys are uniformly random, so most reads
 * miss and most updates are written back), with the cache off (a JNI get and put per
 * record), and the heap. Each invocation is a fresh
 * pipeline with a fresh temporary state directory, so the RocksDB open and final flush are
 * included, amortised over {@value #RECORDS} records.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class KeyedStateThroughput {

    public static final int RECORDS = 1_000_000;
    public static final int KEYS = 10_000;
    private static final long TIMESTAMP = 1_700_000_000_000L;

    @Param({"rocksdb", "rocksdb-small-cache", "rocksdb-no-cache", "in-memory"})
    public String state;

    @Param({"BLOCKING", "YIELDING"})
    public RingWaitStrategy waitStrategy;

    private PipelineConfig config;
    private String[] records;

    @Setup(Level.Trial)
    public void setUp() {
        PipelineConfig base = PipelineConfig.defaults().withWaitStrategy(waitStrategy);
        config = switch (state) {
            case "rocksdb" -> base;
            case "rocksdb-small-cache" -> base.withStateCacheEntries(KEYS / 10);
            case "rocksdb-no-cache" -> base.withStateCacheEntries(0);
            case "in-memory" -> base.withInMemoryState();
            default -> throw new IllegalArgumentException("unknown state backend " + state);
        };
        records = PipelineThroughput.randomKeys(RECORDS, KEYS);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long keyedCount() throws Exception {
        PipelineThroughput.CountingSink<KeyValue<String, Long>> sink = new PipelineThroughput.CountingSink<>();
        StreamBuilder builder = new StreamBuilder("bench-keyed-state");
        builder.source("keys", new PipelineThroughput.ArraySource<>(records, 1))
                .keyBy(key -> key)
                .count(Named.as("counts"))
                .to(sink);
        try (Pipeline pipeline = new Pipeline(builder.build(), config)) {
            pipeline.start();
            if (!pipeline.awaitTermination(Duration.ofMinutes(2))) {
                throw new IllegalStateException("pipeline did not finish within 2 minutes");
            }
        }
        return sink.expect(RECORDS);
    }
}
