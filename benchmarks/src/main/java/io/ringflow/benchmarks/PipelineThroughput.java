package io.ringflow.benchmarks;

import io.ringflow.KeyValue;
import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.RingWaitStrategy;
import io.ringflow.Sink;
import io.ringflow.Source;
import io.ringflow.SourceContext;
import io.ringflow.StreamBuilder;
import io.ringflow.Topology;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
 * End-to-end throughput, in records per second, of a real threaded {@link Pipeline}: every
 * invocation builds a topology, starts a pipeline (its ring buffers, its consumer threads,
 * its source threads), lets a bounded source push {@value #RECORDS} records through it and
 * waits until the pipeline has drained and terminated. JMH divides by
 * {@link OperationsPerInvocation}, so the reported ops/s are source records per second,
 * including the (small, fixed) cost of starting and ending the pipeline.
 *
 * <ul>
 *   <li>{@link #statelessChain}: {@code source -> map -> filter -> map -> sink}, one stage,
 *       no hand-off between threads other than source to first stage.</li>
 *   <li>{@link #keyedCount}: {@code source -> keyBy -> count -> sink} over
 *       {@link #KEYS} distinct keys: two stages with a hash exchange between them and one
 *       state-store read and write per record.</li>
 * </ul>
 *
 * <p>The source emits pre-built objects from an array made once per trial, so it allocates
 * nothing per record; it has {@code parallelism} readers, each emitting its own slice of the
 * array into its own first-stage shard, so every shard has work. The sinks only count (a
 * {@link LongAdder}, since a sink is called from every shard's thread); the count is checked
 * after every run so a pipeline that loses or duplicates records fails the benchmark rather
 * than reporting a fast number.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PipelineThroughput {

    /** Records every invocation pushes through the pipeline. */
    public static final int RECORDS = 1_000_000;

    /** Distinct keys of {@link #keyedCount}. */
    public static final int KEYS = 10_000;

    /** Every record carries this event time, so the source does not read the clock per record. */
    private static final long TIMESTAMP = 1_700_000_000_000L;

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

    /** Shards per stage, and readers of the source. */
    @Param({"1", "2"})
    public int parallelism;

    /** How the consumer threads wait for records. */
    @Param({"BLOCKING", "YIELDING"})
    public RingWaitStrategy waitStrategy;

    private PipelineConfig config;
    private Long[] numbers;
    private long expectedChainOutputs;
    private String[] keyedRecords;

    /** Builds the input arrays once per trial; nothing in them is allocated while measuring. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        config = PipelineConfig.defaults()
                .withParallelism(parallelism)
                .withWaitStrategy(waitStrategy);

        numbers = new Long[RECORDS];
        long passing = 0;
        for (int i = 0; i < RECORDS; i++) {
            numbers[i] = (long) i;
            if (keep(scramble((long) i))) {
                passing++;
            }
        }
        expectedChainOutputs = passing;

        keyedRecords = randomKeys(RECORDS, KEYS);
    }

    /**
     * Stateless chain: {@code source -> map -> filter -> map -> sink}, all fused in the one
     * stage the source feeds. The filter keeps about three records in four.
     */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long statelessChain() throws Exception {
        CountingSink<Long> sink = new CountingSink<>();
        StreamBuilder builder = new StreamBuilder("bench-stateless");
        builder.source("numbers", new ArraySource<>(numbers, parallelism))
                .map(PipelineThroughput::scramble)
                .filter(PipelineThroughput::keep)
                .map(PipelineThroughput::fold)
                .to(sink);
        run(builder.build());
        return sink.expect(expectedChainOutputs);
    }

    /**
     * Keyed running count: {@code source -> keyBy(key) -> count() -> sink}; the count stage
     * keeps one running count per key and emits the new count for every record.
     */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long keyedCount() throws Exception {
        CountingSink<KeyValue<String, Long>> sink = new CountingSink<>();
        StreamBuilder builder = new StreamBuilder("bench-keyed");
        builder.source("keys", new ArraySource<>(keyedRecords, parallelism))
                .keyBy(key -> key)
                .count()
                .to(sink);
        run(builder.build());
        return sink.expect(RECORDS);
    }

    private void run(Topology topology) throws InterruptedException {
        try (Pipeline pipeline = new Pipeline(topology, config)) {
            pipeline.start();
            if (!pipeline.awaitTermination(RUN_TIMEOUT)) {
                throw new IllegalStateException("pipeline did not finish " + RECORDS + " records within "
                        + RUN_TIMEOUT + "; state " + pipeline.state());
            }
        }
    }

    /**
     * {@code records} keys drawn uniformly, with a fixed seed, from {@code keys} distinct
     * strings: a keyed stream without hot keys, the same in every run.
     */
    static String[] randomKeys(int records, int keys) {
        String[] distinct = new String[keys];
        for (int k = 0; k < keys; k++) {
            distinct[k] = "key-" + k;
            distinct[k].hashCode(); // cache the hash, as a long-lived key object would have it
        }
        SplittableRandom random = new SplittableRandom(42);
        String[] out = new String[records];
        for (int i = 0; i < records; i++) {
            out[i] = distinct[random.nextInt(keys)];
        }
        return out;
    }

    static Long scramble(Long value) {
        return value * 0x9E3779B97F4A7C15L;
    }

    static boolean keep(Long value) {
        return (value & 3) != 0;
    }

    static Long fold(Long value) {
        return value ^ (value >>> 29);
    }

    /**
     * A bounded source over a pre-built array: reader {@code r} of {@code readers} emits the
     * {@code r}-th contiguous slice, so the readers together emit every element exactly once.
     * Allocates nothing per record.
     */
    static final class ArraySource<T> implements Source<T> {

        private static final int CHECK_RUNNING_EVERY = 4096;

        private final T[] records;
        private final int readers;

        ArraySource(T[] records, int readers) {
            this.records = records;
            this.readers = readers;
        }

        @Override
        public int readers() {
            return readers;
        }

        @Override
        public void run(SourceContext<T> context) {
            int from = (int) ((long) records.length * context.reader() / readers);
            int to = (int) ((long) records.length * (context.reader() + 1) / readers);
            for (int i = from; i < to; i++) {
                if ((i & (CHECK_RUNNING_EVERY - 1)) == 0 && !context.isRunning()) {
                    return;
                }
                context.emit(records[i], TIMESTAMP);
            }
        }
    }

    /** A sink that only counts what reaches it; safe to call from every shard's thread. */
    static final class CountingSink<T> implements Sink<T> {

        private final LongAdder count = new LongAdder();

        @Override
        public void write(T value, long timestamp) {
            count.increment();
        }

        /** The count, after checking it is what the topology must have produced. */
        long expect(long expected) {
            long actual = count.sum();
            if (actual != expected) {
                throw new IllegalStateException("the sink saw " + actual + " records, expected " + expected);
            }
            return actual;
        }
    }
}
