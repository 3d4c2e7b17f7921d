package io.ringflow.benchmarks;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.SingleWriterRecorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What recording one record's latency costs on the sink's thread, per way of recording it:
 * the choice behind {@code ringflow.latency}. One thread, as a shard records.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar MetricsBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MetricsBenchmark {

    private Timer percentileTimer;
    private Timer plainTimer;
    private SingleWriterRecorder recorder;
    private long value = 12_345;

    @Setup
    public void setUp() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        percentileTimer = Timer.builder("with.percentiles").publishPercentiles(0.5, 0.9, 0.99, 0.999).register(registry);
        plainTimer = Timer.builder("plain").register(registry);
        recorder = new SingleWriterRecorder(TimeUnit.MINUTES.toNanos(1), 2);
    }

    @Benchmark
    public long nanoTimeOnly() {
        return System.nanoTime();
    }

    @Benchmark
    public void micrometerTimerWithPercentiles() {
        percentileTimer.record(value++ & 0xFFFF, TimeUnit.NANOSECONDS);
    }

    @Benchmark
    public void micrometerTimerCountTotalMax() {
        plainTimer.record(value++ & 0xFFFF, TimeUnit.NANOSECONDS);
    }

    @Benchmark
    public void hdrSingleWriterRecorder() {
        recorder.recordValue(value++ & 0xFFFF);
    }
}
