package io.ringflow.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The constant-rate offer every latency harness shares: trades for {@link #SYMBOLS} symbols,
 * each due at a fixed intended time. Event times trail the schedule by up to 50 ms (out of
 * order) and one trade in a thousand is 3 s old (late for a 1 s window with 100 ms allowed
 * out-of-orderness). Random draws are made up front, so offering a trade allocates only the
 * trade.
 */
public final class TradeSchedule {

    static final int SYMBOLS = 1_000;
    private static final int TABLE = 1 << 16;

    /**
     * One offered trade; {@code intendedNanos} is when the schedule said to send it. Public, so
     * Flink serializes it as a POJO record rather than falling back to Kryo.
     */
    public record Trade(int symbol, String key, double price, long quantity, long eventTime, long intendedNanos) {
    }

    /** Where offered trades go; may block (that is then latency, not a lower rate). */
    @FunctionalInterface
    interface Offer {
        void offer(Trade trade) throws Exception;
    }

    private final String[] keys = new String[SYMBOLS];
    private final int[] symbols = new int[TABLE];
    private final long[] delays = new long[TABLE];
    private final double[] prices = new double[TABLE];
    private final long[] quantities = new long[TABLE];
    private final long intervalNanos;
    final long startNanos;
    final long measureFromNanos;
    final long endNanos;
    /**
     * By phase (0: warm-up, 1: measured): each result's latency from its intended time. Both of
     * a fixed range, so the measured one never takes a resizing path the warm-up's compiled
     * code has not seen.
     */
    private final Recorder[] latencies = {newRecorder(), newRecorder()};
    private final LongAdder[] results = {new LongAdder(), new LongAdder()};
    private final long startMillis;

    TradeSchedule(long ratePerSecond, int warmupSeconds, int seconds) {
        for (int s = 0; s < SYMBOLS; s++) {
            keys[s] = "SYM" + s;
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < TABLE; i++) {
            symbols[i] = random.nextInt(SYMBOLS);
            delays[i] = random.nextInt(1_000) == 0 ? 3_000 : random.nextInt(50);
            prices[i] = 100 + random.nextInt(10_000) / 100.0;
            quantities[i] = 1 + random.nextInt(500);
        }
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        this.startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        this.startMillis = System.currentTimeMillis() + 300;
        this.measureFromNanos = startNanos + TimeUnit.SECONDS.toNanos(warmupSeconds);
        this.endNanos = measureFromNanos + TimeUnit.SECONDS.toNanos(seconds);
    }

    /** Offers every trade at its intended time (late ones as soon as possible) until the end or {@code running} fails. */
    long run(Offer offer, BooleanSupplier running) throws Exception {
        long next = startNanos;
        long i = 0;
        while (next < endNanos && running.getAsBoolean()) {
            long now = System.nanoTime();
            while (next <= now && next < endNanos) {
                int slot = (int) (i & (TABLE - 1));
                long eventTime = startMillis + (next - startNanos) / 1_000_000 - delays[slot];
                int symbol = symbols[slot];
                offer.offer(new Trade(symbol, keys[symbol], prices[slot], quantities[slot], eventTime, next));
                next += intervalNanos;
                i++;
            }
            LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
        }
        return i;
    }

    /**
     * Records a result's latency from the intended send time of the trade it came from, in the
     * warm-up's histogram or the measured window's. The two are picked by arithmetic, not by a
     * branch: a branch the warm-up never takes is compiled as a trap, and taking it at the start
     * of the measured window deoptimizes whatever inlined the sink (with source chaining, the
     * source's whole loop) while the measured records arrive. Thread-safe.
     */
    void record(long intendedNanos) {
        int phase = (int) (~(intendedNanos - measureFromNanos) >>> 63); // 0: warm-up, 1: measured
        latencies[phase].recordValue(System.nanoTime() - intendedNanos);
        results[phase].increment();
    }

    private static Recorder newRecorder() {
        return new Recorder(TimeUnit.MINUTES.toNanos(10), 3);
    }

    /** The measured window's latencies, stamped with its wall-clock window; call once, at the end. */
    Histogram measuredLatencies() {
        Histogram histogram = latencies[1].getIntervalHistogram();
        stampMeasuredWindow(histogram);
        return histogram;
    }

    /** How many results the measured window recorded. */
    long measuredResults() {
        return results[1].sum();
    }

    /**
     * Stamps a histogram with the wall-clock window of the measured trades' intended times, as
     * HdrHistogram's {@code Recorder} stamps its interval histograms, so its {@code .hlog} says
     * when the run was measured.
     */
    private void stampMeasuredWindow(Histogram histogram) {
        histogram.setStartTimeStamp(startMillis + TimeUnit.NANOSECONDS.toMillis(measureFromNanos - startNanos));
        histogram.setEndTimeStamp(startMillis + TimeUnit.NANOSECONDS.toMillis(endNanos - startNanos));
    }
}
