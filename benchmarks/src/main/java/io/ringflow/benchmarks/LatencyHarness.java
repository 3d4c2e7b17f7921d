package io.ringflow.benchmarks;

import io.ringflow.KeyValue;
import io.ringflow.Materialized;
import io.ringflow.Named;
import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.RingWaitStrategy;
import io.ringflow.Sink;
import io.ringflow.StreamBuilder;
import io.ringflow.KeyedStream;
import io.ringflow.benchmarks.TradeSchedule.Trade;
import io.ringflow.benchmarks.report.LatencyReport;
import io.ringflow.benchmarks.report.LatencyResult;
import io.ringflow.benchmarks.report.LatencyTable;
import io.ringflow.state.Serde;
import io.ringflow.state.Serdes;
import io.ringflow.watermark.WatermarkStrategy;
import io.ringflow.windowing.EmitStrategy;
import io.ringflow.windowing.HoppingWindows;
import io.ringflow.windowing.TumblingWindows;
import io.ringflow.windowing.Windowed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.HdrHistogram.Histogram;

/**
 * In-process end-to-end latency, Ringflow against an {@code ArrayBlockingQueue} hand-off doing
 * the same work by hand on the heap and against Apache Flink's local mini cluster
 * ({@link FlinkWorkloads}), for three workloads at a constant offered rate:
 * <ol>
 *   <li>{@code stateless}: map and filter each trade;</li>
 *   <li>{@code keyed-count}: a running count per symbol (1,000 symbols) on RocksDB;</li>
 *   <li>{@code trading}: per symbol, a 1 s tumbling VWAP emitted on every update and a 10 s
 *       window hopping by 1 s summing volume, event time with 100 ms out-of-orderness, one
 *       trade in a thousand 3 s late, on RocksDB.</li>
 * </ol>
 * Latency runs from each trade's <em>intended</em> send time (its slot in the schedule) to the
 * sink receiving the output it caused, so a stall anywhere, the generator included, counts in
 * full: coordinated omission cannot hide it. Warm-up is excluded.
 *
 * <pre>
 * java --add-opens java.base/java.util=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED \
 *      -cp benchmarks/target/benchmarks.jar io.ringflow.benchmarks.LatencyHarness \
 *      [workload=all|stateless|keyed-count|trading] [rate/s, 0 = the workload's target rate]
 *      [seconds=20] [warm-up seconds=5] [wait strategy=SPIN_THEN_PARK]
 * </pre>
 * (Flink's serializers need the two {@code --add-opens} on Java 17.) Prints a table, and writes {@code benchmarks/results/latency-in-process.json},
 * {@code .png} (latency by percentile, one line per system and workload) and one
 * {@code latency-in-process.<workload>.<system>.hlog} per system and workload ({@link LatencyReport}).
 */
public final class LatencyHarness {

    /** The target rates on a 2-core machine. */
    private static final Map<String, Long> TARGET_RATES = Map.of(
            "stateless", 200_000L, "keyed-count", 200_000L, "trading", 100_000L);

    private LatencyHarness() {
    }

    /** A running count and the intended time of the trade that last changed it. */
    record Count(long count, long lastIntendedNanos) {
        static final Serde<Count> SERDE = Serdes.of("Count", (c, out) -> {
            out.writeLong(c.count());
            out.writeLong(c.lastIntendedNanos());
        }, in -> new Count(in.readLong(), in.readLong()));
    }

    /** A volume-weighted average price in the making. */
    record Vwap(double notional, long quantity, long lastIntendedNanos) {
        static final Serde<Vwap> SERDE = Serdes.of("Vwap", (v, out) -> {
            out.writeDouble(v.notional());
            out.writeLong(v.quantity());
            out.writeLong(v.lastIntendedNanos());
        }, in -> new Vwap(in.readDouble(), in.readLong(), in.readLong()));

        Vwap add(Trade trade) {
            return new Vwap(notional + trade.price() * trade.quantity(), quantity + trade.quantity(), trade.intendedNanos());
        }
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "all";
        long rate = args.length > 1 ? Long.parseLong(args[1]) : 0;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        RingWaitStrategy wait = args.length > 4 ? RingWaitStrategy.valueOf(args[4]) : RingWaitStrategy.SPIN_THEN_PARK;

        // -Dbusy.threads=N: N threads of other work spin beside every run, as on a shared machine.
        BusyThreads busy = BusyThreads.start(Integer.getInteger("busy.threads", 0));
        // -Dsource.chaining=both: Ringflow runs twice, with its first stage on the reader's thread and on its own.
        String chainingMode = System.getProperty("source.chaining", "true");
        List<Boolean> chainings = chainingMode.equals("both") ? List.of(true, false)
                : List.of(Boolean.parseBoolean(chainingMode));
        List<LatencyResult> results = new ArrayList<>();
        for (String workload : List.of("stateless", "keyed-count", "trading")) {
            if (!which.equals("all") && !which.equals(workload)) {
                continue;
            }
            long offered = rate > 0 ? rate : TARGET_RATES.get(workload);
            for (boolean chaining : chainings) {
                results.add(runRingflow(workload, offered, seconds, warmup, wait, chaining));
            }
            results.add(runQueue(workload, offered, seconds, warmup));
            results.add(FlinkWorkloads.run(workload, offered, seconds, warmup));
        }
        busy.stop();
        LatencyTable.print(System.out, results);
        Path dir = Path.of("benchmarks", "results");
        String machine = Runtime.getRuntime().availableProcessors() + " vCPU, " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version") + ", Ringflow wait "
                + wait + busy.describe();
        for (Path file : LatencyReport.write(dir, "latency-in-process",
                "In-process latency from intended send time (" + machine + ")", machine, results)) {
            System.out.println("wrote " + file);
        }
    }

    /** Runs one workload through a Ringflow pipeline. */
    static LatencyResult runRingflow(String workload, long rate, int seconds, int warmup, RingWaitStrategy wait,
                                     boolean chaining) throws Exception {
        TradeSchedule schedule = new TradeSchedule(rate, warmup, seconds);
        StreamBuilder builder = new StreamBuilder("latency-" + workload);
        var trades = builder.source("trades", context -> schedule.run(t -> context.emit(t, t.eventTime()), context::isRunning),
                WatermarkStrategy.<Trade>forBoundedOutOfOrderness(Duration.ofMillis(100))
                        .withTimestampExtractor((t, ts) -> t.eventTime()));
        switch (workload) {
            case "stateless" -> trades
                    .map(t -> new Trade(t.symbol(), t.key(), t.price() * 1.0001, t.quantity(), t.eventTime(), t.intendedNanos()))
                    .filter(t -> t.quantity() > 0)
                    .to(measuring(schedule, Trade::intendedNanos));
            case "keyed-count" -> trades.keyBy(Trade::key)
                    .aggregate(() -> new Count(0, 0), (k, t, c) -> new Count(c.count() + 1, t.intendedNanos()),
                            Named.as("counts"), Materialized.with(Serdes.string(), Count.SERDE))
                    .toStream()
                    .to(measuring(schedule, (KeyValue<String, Count> kv) -> kv.value().lastIntendedNanos()));
            case "trading" -> {
                KeyedStream<String, Trade> bySymbol = trades.keyBy(Trade::key);
                bySymbol.window(TumblingWindows.of(Duration.ofSeconds(1)))
                        .emit(EmitStrategy.onEveryUpdate())
                        .aggregate(() -> new Vwap(0, 0, 0), (k, t, v) -> v.add(t), null, Named.as("vwap-1s"),
                                Materialized.with(Serdes.string(), Vwap.SERDE))
                        .toStream()
                        .to(measuring(schedule,
                                (KeyValue<Windowed<String>, Vwap> kv) -> kv.value().lastIntendedNanos()));
                bySymbol.window(HoppingWindows.of(Duration.ofSeconds(10)).advanceBy(Duration.ofSeconds(1)))
                        .aggregate(() -> 0L, (k, t, volume) -> volume + t.quantity(), Named.as("volume-10s"))
                        .toStream()
                        .to((kv, ts) -> { });
            }
            default -> throw new IllegalArgumentException("unknown workload " + workload);
        }
        PipelineConfig config = PipelineConfig.defaults().withWaitStrategy(wait).withSourceChaining(chaining);
        // -Dcheckpoint.ms=N: checkpoint every N ms into a temporary state directory, to see what it costs.
        long checkpointMillis = Long.getLong("checkpoint.ms", 0);
        Path stateDirectory = null;
        if (checkpointMillis > 0) {
            stateDirectory = Files.createTempDirectory("ringflow-latency-");
            config = config.withStateDirectory(stateDirectory).withCheckpointing(Duration.ofMillis(checkpointMillis));
        }
        try (Pipeline pipeline = new Pipeline(builder.build(), config)) {
            pipeline.start();
            if (!pipeline.awaitTermination(Duration.ofSeconds(warmup + seconds + 120))) {
                throw new IllegalStateException("the " + workload + " run did not finish");
            }
            if (workload.equals("trading")) {
                System.out.printf("trading: %d late trades dropped by vwap-1s%n", pipeline.lateRecords("vwap-1s"));
            }
            if (checkpointMillis > 0) {
                System.out.printf("checkpoint every %d ms: last pause %.1f ms%n", checkpointMillis,
                        pipeline.lastCheckpointPauseNanos() / 1e6);
            }
        }
        return result("Ringflow " + wait + (chaining ? "" : ", unchained")
                        + (checkpointMillis > 0 ? ", checkpoint " + checkpointMillis + " ms" : ""),
                workload, rate, seconds, schedule.measuredResults(), schedule.measuredLatencies());
    }

    private static <T> Sink<T> measuring(TradeSchedule schedule, ToLongFunction<T> intended) {
        return (value, timestamp) -> schedule.record(intended.applyAsLong(value));
    }

    /**
     * The baseline: the generator puts each trade on an {@code ArrayBlockingQueue} (1,024
     * slots) and one worker thread does the workload by hand on heap maps: no RocksDB, no
     * watermarks, no window closing, just the updates. What a hand-off between two threads
     * costs with the JDK's standard queue.
     */
    static LatencyResult runQueue(String workload, long rate, int seconds, int warmup) throws Exception {
        TradeSchedule schedule = new TradeSchedule(rate, warmup, seconds);
        ArrayBlockingQueue<Trade> queue = new ArrayBlockingQueue<>(1_024);
        Trade end = new Trade(-1, "", 0, 0, 0, 0);
        Thread worker = new Thread(() -> {
            Map<String, long[]> counts = new HashMap<>();
            Map<String, Map<Long, double[]>> vwaps = new HashMap<>();
            Map<String, Map<Long, long[]>> volumes = new HashMap<>();
            try {
                for (Trade t = queue.take(); t != end; t = queue.take()) {
                    switch (workload) {
                        case "stateless" -> {
                            Trade mapped = new Trade(t.symbol(), t.key(), t.price() * 1.0001, t.quantity(), t.eventTime(),
                                    t.intendedNanos());
                            if (mapped.quantity() <= 0) {
                                continue;
                            }
                        }
                        case "keyed-count" -> counts.computeIfAbsent(t.key(), k -> new long[1])[0]++;
                        case "trading" -> {
                            long second = Math.floorDiv(t.eventTime(), 1_000) * 1_000;
                            double[] vwap = vwaps.computeIfAbsent(t.key(), k -> new HashMap<>())
                                    .computeIfAbsent(second, s -> new double[2]);
                            vwap[0] += t.price() * t.quantity();
                            vwap[1] += t.quantity();
                            Map<Long, long[]> windows = volumes.computeIfAbsent(t.key(), k -> new HashMap<>());
                            for (long start = second - 9_000; start <= second; start += 1_000) {
                                windows.computeIfAbsent(start, s -> new long[1])[0] += t.quantity();
                            }
                            // Forget windows long past, as window closing would.
                            vwaps.get(t.key()).keySet().removeIf(s -> s < second - 5_000);
                            windows.keySet().removeIf(s -> s < second - 15_000);
                        }
                        default -> throw new IllegalArgumentException("unknown workload " + workload);
                    }
                    schedule.record(t.intendedNanos());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "abq-worker");
        worker.start();
        schedule.run(queue::put, () -> true);
        queue.put(end);
        worker.join();
        return result("ArrayBlockingQueue", workload, rate, seconds, schedule.measuredResults(),
                schedule.measuredLatencies());
    }

    static LatencyResult result(String system, String workload, long rate, int seconds, long measured,
                                        Histogram histogram) {
        System.out.printf(Locale.ROOT, "%s / %s at %,d/s: p50 %.1f us, p99 %.1f us, p99.99 %.1f us, max %.1f us%n",
                system, workload, rate, histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3,
                histogram.getValueAtPercentile(99.99) / 1e3, histogram.getMaxValue() / 1e3);
        return new LatencyResult(system, workload, rate, measured / (double) seconds, measured, histogram);
    }
}
