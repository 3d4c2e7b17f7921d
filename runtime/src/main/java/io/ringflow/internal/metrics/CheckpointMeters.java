package io.ringflow.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pipeline's checkpoint meters: {@code ringflow.checkpoint.completed} and {@code .failed}
 * (counters), {@code .duration} (trigger to written, a timer), {@code .pause} (how long the
 * shards stood at the cut, a timer), {@code .size} (bytes of the last completed checkpoint's
 * files) and {@code .failures.consecutive} (failed in a row since the last success; the
 * pipeline fails when it passes {@code PipelineConfig.withTolerableCheckpointFailures}).
 * Updated once per checkpoint, never per record.
 */
public final class CheckpointMeters {

    private final Counter completed;
    private final Counter failed;
    private final Timer duration;
    private final Timer pause;
    private final AtomicLong size = new AtomicLong();
    private final AtomicLong consecutiveFailures = new AtomicLong();

    CheckpointMeters(PipelineMetrics metrics) {
        MeterRegistry registry = metrics.registry();
        this.completed = metrics.register(Counter.builder("ringflow.checkpoint.completed")
                .description("checkpoints written").tags(metrics.topologyTags()).register(registry));
        this.failed = metrics.register(Counter.builder("ringflow.checkpoint.failed")
                .description("checkpoints that failed to write").tags(metrics.topologyTags()).register(registry));
        this.duration = metrics.register(Timer.builder("ringflow.checkpoint.duration")
                .description("from a checkpoint's trigger to its manifest written").tags(metrics.topologyTags())
                .register(registry));
        this.pause = metrics.register(Timer.builder("ringflow.checkpoint.pause")
                .description("how long the shards stood at a checkpoint's cut").tags(metrics.topologyTags())
                .register(registry));
        metrics.register(Gauge.builder("ringflow.checkpoint.size", size, AtomicLong::doubleValue)
                .description("bytes of the last completed checkpoint's files").baseUnit("bytes").strongReference(true)
                .tags(metrics.topologyTags()).register(registry));
        metrics.register(Gauge.builder("ringflow.checkpoint.failures.consecutive", consecutiveFailures,
                        AtomicLong::doubleValue)
                .description("checkpoints failed in a row since the last completed one").strongReference(true)
                .tags(metrics.topologyTags()).register(registry));
    }

    /** A checkpoint was written: {@code bytes} in its files, paused the shards {@code pauseNanos}. */
    public void completed(long durationNanos, long pauseNanos, long bytes) {
        completed.increment();
        duration.record(durationNanos, TimeUnit.NANOSECONDS);
        if (pauseNanos > 0) {
            pause.record(pauseNanos, TimeUnit.NANOSECONDS);
        }
        size.set(bytes);
        consecutiveFailures.set(0);
    }

    /** A checkpoint failed to write; returns how many have failed in a row now. */
    public long failed() {
        failed.increment();
        return consecutiveFailures.incrementAndGet();
    }
}
