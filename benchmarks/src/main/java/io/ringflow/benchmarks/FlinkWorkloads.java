package io.ringflow.benchmarks;

import io.ringflow.benchmarks.TradeSchedule.Trade;
import io.ringflow.benchmarks.report.LatencyResult;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.SinkFunction;
import org.apache.flink.streaming.api.functions.source.SourceFunction;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.triggers.CountTrigger;
import org.apache.flink.util.Collector;

/**
 * The {@link LatencyHarness} workloads on Apache Flink's local mini cluster, in this JVM:
 * parallelism 1, buffer timeout 0 (each record is flushed downstream at once, Flink's lowest
 * latency setting), object reuse on, Flink's default heap state backend (its RocksDB backend
 * ships its own {@code org.rocksdb} classes, which would clash with Ringflow's in one jar).
 * Source and sink reach the schedule (which records the latencies) through static fields: Flink serializes
 * its functions, and everything runs in this JVM anyway.
 */
final class FlinkWorkloads {

    private static volatile TradeSchedule schedule;
    /** Rate, warm-up and measured seconds of the run, for the schedule the source creates. */
    private static volatile long[] plan;

    private FlinkWorkloads() {
    }

    static LatencyResult run(String workload, long rate, int seconds, int warmup) throws Exception {
        plan = new long[] {rate, warmup, seconds};
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
        env.setBufferTimeout(0);
        env.getConfig().enableObjectReuse();
        DataStream<Trade> trades = env.addSource(new ScheduleSource()).name("trades")
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Trade>forBoundedOutOfOrderness(Duration.ofMillis(100))
                        .withTimestampAssigner((t, ts) -> t.eventTime()));
        switch (workload) {
            case "stateless" -> trades
                    .map(t -> new Trade(t.symbol(), t.key(), t.price() * 1.0001, t.quantity(), t.eventTime(), t.intendedNanos()))
                    .filter(t -> t.quantity() > 0)
                    .map(Trade::intendedNanos)
                    .addSink(new LatencySink());
            case "keyed-count" -> trades.keyBy(Trade::key)
                    .process(new RunningCount())
                    .addSink(new LatencySink());
            case "trading" -> {
                KeyedStream<Trade, String> bySymbol = trades.keyBy(Trade::key);
                bySymbol.window(TumblingEventTimeWindows.of(Duration.ofSeconds(1)))
                        .trigger(CountTrigger.of(1)) // emit on every update, as Ringflow does here
                        .aggregate(new Vwap())
                        .addSink(new LatencySink());
                bySymbol.window(SlidingEventTimeWindows.of(Duration.ofSeconds(10), Duration.ofSeconds(1)))
                        .aggregate(new Volume())
                        .addSink(new SinkFunction<>() { });
            }
            default -> throw new IllegalArgumentException("unknown workload " + workload);
        }
        env.execute("flink-" + workload);
        return LatencyHarness.result("Flink 1.20 mini cluster", workload, rate, seconds, schedule.measuredResults(),
                schedule.measuredLatencies());
    }

    /** Offers the schedule's trades; event time is the trade's. */
    private static final class ScheduleSource implements SourceFunction<Trade> {
        private volatile boolean running = true;

        @Override
        public void run(SourceContext<Trade> context) throws Exception {
            // The schedule starts when the job does: the mini cluster takes seconds to come up,
            // and trades due meanwhile would measure its start, not its latency.
            schedule = new TradeSchedule(plan[0], (int) plan[1], (int) plan[2]);
            schedule.run(context::collect, () -> running);
        }

        @Override
        public void cancel() {
            running = false;
        }
    }

    /** Records each output's latency from the intended time of the trade that caused it. */
    private static final class LatencySink implements SinkFunction<Long> {
        @Override
        public void invoke(Long intendedNanos, Context context) {
            schedule.record(intendedNanos);
        }
    }

    /** A running count per symbol in keyed state; emits the intended time of the trade counted. */
    private static final class RunningCount extends KeyedProcessFunction<String, Trade, Long> {
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext context) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Long.class));
        }

        @Override
        public void processElement(Trade trade, Context context, Collector<Long> out) throws Exception {
            Long current = count.value();
            count.update(current == null ? 1 : current + 1);
            out.collect(trade.intendedNanos());
        }
    }

    /** VWAP accumulator: notional, quantity, intended time of the last trade (emitted). */
    private static final class Vwap implements AggregateFunction<Trade, double[], Long> {
        @Override
        public double[] createAccumulator() {
            return new double[3];
        }

        @Override
        public double[] add(Trade trade, double[] acc) {
            acc[0] += trade.price() * trade.quantity();
            acc[1] += trade.quantity();
            acc[2] = Double.longBitsToDouble(trade.intendedNanos());
            return acc;
        }

        @Override
        public Long getResult(double[] acc) {
            return Double.doubleToRawLongBits(acc[2]);
        }

        @Override
        public double[] merge(double[] a, double[] b) {
            return new double[] {a[0] + b[0], a[1] + b[1], b[2]};
        }
    }

    /** Volume per hopping window. */
    private static final class Volume implements AggregateFunction<Trade, long[], Long> {
        @Override
        public long[] createAccumulator() {
            return new long[1];
        }

        @Override
        public long[] add(Trade trade, long[] acc) {
            acc[0] += trade.quantity();
            return acc;
        }

        @Override
        public Long getResult(long[] acc) {
            return acc[0];
        }

        @Override
        public long[] merge(long[] a, long[] b) {
            return new long[] {a[0] + b[0]};
        }
    }
}
