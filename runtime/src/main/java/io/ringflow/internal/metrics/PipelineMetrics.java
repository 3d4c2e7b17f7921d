package io.ringflow.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.ringflow.watermark.Watermarks;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A pipeline's meters in its {@link MeterRegistry}, all named {@code ringflow.*} and tagged
 * with the topology, so several pipelines can share one registry. Hot-path counts are
 * {@link ShardCounter}s read by {@link FunctionCounter}s, so a record costs no atomic
 * operation; a scrape reads them. Micrometer's function meters hold their state weakly, so
 * this class keeps every state object alive itself: a counter only a meter referred to would
 * otherwise vanish and read 0. {@link #close()} removes every meter the pipeline added.
 */
public final class PipelineMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final Tags topology;
    /** Registering an existing id returns the same meter, so a set keeps each once. */
    private final Set<Meter> meters = ConcurrentHashMap.newKeySet();
    /** Strong references to the function meters' state objects, for as long as the meters exist. */
    private final List<Object> states = new CopyOnWriteArrayList<>();
    private final Map<String, LongAdder> operatorCounters = new ConcurrentHashMap<>();
    private final Map<String, LatencyMeter> latencies = new ConcurrentHashMap<>();

    public PipelineMetrics(MeterRegistry registry, String topology) {
        this.registry = registry;
        this.topology = Tags.of("topology", topology);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Records an operator's shard received. */
    public ShardCounter recordsIn(String operator, int shard) {
        return shardCounter("ringflow.records.in", "records an operator received", operator, shard);
    }

    /** Records an operator's shard passed on (for a source, emitted; for a sink, written). */
    public ShardCounter recordsOut(String operator, int shard) {
        return shardCounter("ringflow.records.out", "records an operator emitted or wrote", operator, shard);
    }

    /** An operator's shard's records passed on, as the sum of what each of its outputs counted. */
    public void recordsOut(String operator, int shard, List<ShardCounter> outputs) {
        ShardCounter[] counters = outputs.toArray(new ShardCounter[0]);
        states.add(counters);
        add(FunctionCounter.builder("ringflow.records.out", counters, cs -> {
                    long sum = 0;
                    for (ShardCounter c : cs) {
                        sum += c.get();
                    }
                    return sum;
                })
                .description("records an operator emitted or wrote")
                .tags(topology).tag("operator", operator).tag("shard", Integer.toString(shard))
                .register(registry));
    }

    private ShardCounter shardCounter(String name, String description, String operator, int shard) {
        ShardCounter counter = new ShardCounter();
        states.add(counter);
        add(FunctionCounter.builder(name, counter, ShardCounter::get)
                .description(description)
                .tags(topology).tag("operator", operator).tag("shard", Integer.toString(shard))
                .register(registry));
        return counter;
    }

    /**
     * Time from a record's ingest at its source to its write by sink {@code sink}, shared by the
     * sink's shards: {@code ringflow.latency} (a function timer: count and total) and
     * {@code ringflow.latency.percentile} (p50, p90, p99, p99.9, p99.99 over the last minute,
     * tag {@code phi}).
     */
    public LatencyMeter endToEndLatency(String sink) {
        return latencies.computeIfAbsent(sink, name -> {
            LatencyMeter meter = new LatencyMeter();
            states.add(meter);
            add(FunctionTimer.builder("ringflow.latency", meter, LatencyMeter::count, LatencyMeter::totalNanos,
                            TimeUnit.NANOSECONDS)
                    .description("source ingest to sink write")
                    .tags(topology).tag("operator", name)
                    .register(registry));
            for (double phi : new double[] {0.5, 0.9, 0.99, 0.999, 0.9999}) {
                add(TimeGauge.builder("ringflow.latency.percentile", meter, TimeUnit.NANOSECONDS,
                                m -> m.percentileNanos(phi * 100))
                        .description("source ingest to sink write, percentile over the last minute")
                        .strongReference(true)
                        .tags(topology).tag("operator", name).tag("phi", Double.toString(phi))
                        .register(registry));
            }
            return meter;
        });
    }

    /** Free slots in a shard's ring buffer: near zero means the shard is the bottleneck. */
    public void ringRemaining(int stage, int shard, LongSupplier remaining) {
        add(Gauge.builder("ringflow.ring.remaining", remaining, r -> (double) r.getAsLong())
                .description("free ring-buffer slots of a shard")
                .strongReference(true)
                .tags(topology).tag("stage", Integer.toString(stage)).tag("shard", Integer.toString(shard))
                .register(registry));
    }

    /** Processing time minus a shard's watermark, in milliseconds; NaN before it has one. */
    public void watermarkLag(int stage, int shard, LongSupplier watermark) {
        add(Gauge.builder("ringflow.watermark.lag", watermark, w -> {
                    long value = w.getAsLong();
                    return value == Watermarks.NONE ? Double.NaN : (double) (System.currentTimeMillis() - value);
                })
                .description("processing time minus the shard's watermark")
                .strongReference(true)
                .baseUnit("milliseconds")
                .tags(topology).tag("stage", Integer.toString(stage)).tag("shard", Integer.toString(shard))
                .register(registry));
    }

    /**
     * Operator {@code operator}'s counter {@code metric}, shared by its shards, created on first
     * use; a late-records counter is also published as {@code ringflow.records.late}.
     */
    public LongAdder operatorCounter(String operator, String metric, String lateMetric) {
        return operatorCounters.computeIfAbsent(operator + "/" + metric, k -> {
            LongAdder counter = new LongAdder();
            if (metric.equals(lateMetric)) {
                lateRecords(operator, counter);
            }
            return counter;
        });
    }

    /** The value of an operator counter; 0 if it never counted. */
    public long operatorCount(String operator, String metric) {
        LongAdder counter = operatorCounters.get(operator + "/" + metric);
        return counter == null ? 0 : counter.sum();
    }

    /** Records an operator dropped as late (summed over its shards). */
    public void lateRecords(String operator, LongAdder late) {
        states.add(late);
        add(FunctionCounter.builder("ringflow.records.late", late, LongAdder::sum)
                .description("records dropped because every window they belong to had closed")
                .tags(topology).tag("operator", operator)
                .register(registry));
    }

    /**
     * Failed records of an operator by what the error handler did: {@code logged},
     * {@code dead-lettered}, {@code handled} (a custom handler that returned) or {@code failed}.
     */
    public Counter errors(String operator, String outcome) {
        return add(Counter.builder("ringflow.errors")
                .description("records whose processing threw, by error handler outcome")
                .tags(topology).tag("operator", operator).tag("outcome", outcome)
                .register(registry));
    }

    /** Time of one kind of state store operation (sampled by the store wrapper). */
    public Timer storeOperation(String store, String operation) {
        return add(Timer.builder("ringflow.state.operation")
                .description("state store operation time, sampled one in " + SampledTimer.SAMPLE_EVERY)
                .tags(topology).tag("store", store).tag("operation", operation)
                .register(registry));
    }

    /** Approximate entries of a store's shard. */
    public Gauge storeEntries(String store, int shard, LongSupplier entries) {
        return add(Gauge.builder("ringflow.state.entries", entries, e -> (double) e.getAsLong())
                .description("approximate entries in a state store")
                .strongReference(true)
                .tags(topology).tag("store", store).tag("shard", Integer.toString(shard))
                .register(registry));
    }

    /** Removes one meter (of a store closed while the pipeline runs: its partition moved away). */
    public void remove(Meter meter) {
        registry.remove(meter);
        meters.remove(meter);
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    /** Keeps {@code meter} among this pipeline's, so {@link #close()} removes it. */
    <M extends Meter> M register(M meter) {
        return add(meter);
    }

    Tags topologyTags() {
        return topology;
    }

    /** The checkpoint meters; call once per pipeline. */
    public CheckpointMeters checkpoints() {
        return new CheckpointMeters(this);
    }

    /** Removes this pipeline's meters from the registry. */
    @Override
    public void close() {
        for (Meter meter : meters) {
            registry.remove(meter);
        }
        meters.clear();
        states.clear();
    }
}
