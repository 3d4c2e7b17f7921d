package io.ringflow.benchmarks;

import io.ringflow.KeyValue;
import io.ringflow.Materialized;
import io.ringflow.Named;
import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.RingWaitStrategy;
import io.ringflow.Sink;
import io.ringflow.Source;
import io.ringflow.SourceContext;
import io.ringflow.StreamBuilder;
import io.ringflow.state.Serde;
import io.ringflow.state.Serdes;
import io.ringflow.watermark.WatermarkStrategy;
import io.ringflow.windowing.EmitStrategy;
import io.ringflow.windowing.TumblingWindows;
import io.ringflow.windowing.Windowed;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * End-to-end latency of a per-key one-second tumbling-window count on RocksDB, at a constant
 * offered rate. A generator offers records on a fixed schedule; each record's latency is
 * measured from its <em>intended</em> send time to the moment the sink receives the window
 * update it caused, so a stall anywhere (the generator included) shows up as latency instead
 * of silently lowering the offered rate (no coordinated omission). The window emits on every
 * update so that every record has an output to time; the aggregate carries the intended time
 * of the record that last updated it.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.ringflow.benchmarks.WindowLatencyHarness \
 *      [rate/s=100000] [seconds=20] [warm-up seconds=5] [BLOCKING|SLEEPING|YIELDING|BUSY_SPIN]
 * </pre>
 */
public final class WindowLatencyHarness {

    private static final int KEYS = 1_000;

    /** One offered record: its key, event time, and when the schedule said to send it. */
    record Offer(String key, long eventTimeMillis, long intendedNanos) {
    }

    /** A window's count, and the intended send time of the record that last changed it. */
    record Count(long count, long lastIntendedNanos) {
        static final Serde<Count> SERDE = Serdes.of("Count",
                (c, out) -> {
                    out.writeLong(c.count());
                    out.writeLong(c.lastIntendedNanos());
                },
                in -> new Count(in.readLong(), in.readLong()));
    }

    private WindowLatencyHarness() {
    }

    public static void main(String[] args) throws Exception {
        HarnessArgs parsed = HarnessArgs.parse(args, 100_000, 20, 5);
        long rate = parsed.rate();
        int seconds = parsed.seconds();
        int warmup = parsed.warmup();
        RingWaitStrategy wait = parsed.waitStrategy();

        String[] keys = new String[KEYS];
        for (int k = 0; k < KEYS; k++) {
            keys[k] = "symbol-" + k;
        }
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
        long end = start + TimeUnit.SECONDS.toNanos(warmup + seconds);
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long wallStart = System.currentTimeMillis() + 200;

        Source<Offer> generator = new Source<>() {
            @Override
            public void run(SourceContext<Offer> context) {
                long next = start;
                long i = 0;
                while (next < end && context.isRunning()) {
                    long now = System.nanoTime();
                    while (next <= now && next < end) {
                        long eventTime = wallStart + (next - start) / 1_000_000;
                        context.emit(new Offer(keys[(int) (i++ % KEYS)], eventTime, next), eventTime);
                        next += interval;
                    }
                    LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
                }
            }
        };
        Recorder recorder = new Recorder(3);
        long[] measured = new long[1];
        Sink<KeyValue<Windowed<String>, Count>> latency = (update, timestamp) -> {
            long intended = update.value().lastIntendedNanos();
            if (intended >= measureFrom) {
                recorder.recordValue(System.nanoTime() - intended);
                measured[0]++;
            }
        };

        StreamBuilder builder = new StreamBuilder("window-latency");
        builder.source("offers", generator, WatermarkStrategy.<Offer>forBoundedOutOfOrderness(Duration.ofMillis(100))
                        .withTimestampExtractor((offer, t) -> offer.eventTimeMillis()))
                .keyBy(Offer::key)
                .window(TumblingWindows.of(Duration.ofSeconds(1)))
                .emit(EmitStrategy.onEveryUpdate())
                .aggregate(() -> new Count(0, 0), (key, offer, count) -> new Count(count.count() + 1, offer.intendedNanos()),
                        null, Named.as("counts"), Materialized.with(Serdes.string(), Count.SERDE))
                .to(latency);

        PipelineConfig config = PipelineConfig.defaults().withWaitStrategy(wait);
        try (Pipeline pipeline = new Pipeline(builder.build(), config)) {
            pipeline.start();
            if (!pipeline.awaitTermination(Duration.ofSeconds(warmup + seconds + 60))) {
                throw new IllegalStateException("the run did not finish");
            }
            Histogram histogram = recorder.getIntervalHistogram();
            System.out.printf("tumbling 1 s window count on RocksDB (cache on), %d keys, onEveryUpdate, %s%n", KEYS, wait);
            System.out.printf("offered %,d records/s for %d s after %d s warm-up; measured %,d records (%,.0f records/s)%n",
                    rate, seconds, warmup, measured[0], measured[0] / (double) seconds);
            HarnessArgs.printPercentiles(histogram);
            System.out.printf("late records: %d%n", pipeline.lateRecords("counts"));
        }
    }
}
