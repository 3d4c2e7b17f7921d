package io.ringflow;

import io.micrometer.core.instrument.MeterRegistry;
import io.ringflow.internal.operator.WindowOperator;
import io.ringflow.internal.pipeline.PipelineRuntime;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running topology: one Disruptor ring buffer and one consumer thread per shard of each
 * stage, and one thread per source reader.
 *
 * <pre>{@code
 * try (Pipeline pipeline = new Pipeline(topology, PipelineConfig.defaults().withParallelism(2))) {
 *     pipeline.start();
 *     pipeline.awaitTermination(Duration.ofMinutes(1));   // bounded sources end by themselves
 * }
 * }</pre>
 *
 * <p>A pipeline ends when every source has returned and every record has been drained
 * through every stage ({@link State#COMPLETED}); when {@link #stop()} was called and the
 * same drain has finished (also {@code COMPLETED}); or when a failure halted it
 * ({@link State#FAILED}). Thread-safe.
 */
public final class Pipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private static final Duration CLOSE_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    /** Where a pipeline is in its life. */
    public enum State {
        /** Built, not started. */
        CREATED,
        /** Sources are running. */
        RUNNING,
        /** {@link #stop()} was called; records in flight are being drained. */
        STOPPING,
        /** All input was processed, after sources ended or after a stop. */
        COMPLETED,
        /** A failure halted the pipeline; see {@link #failure()}. */
        FAILED,
        /** Closed; its threads have ended. */
        CLOSED
    }

    private final Topology topology;
    private final PipelineConfig config;
    private final PipelineRuntime runtime;
    private boolean started;
    private boolean stopRequested;
    private boolean closed;

    /** A pipeline for {@code topology} with {@link PipelineConfig#defaults()}. */
    public Pipeline(Topology topology) {
        this(topology, PipelineConfig.defaults());
    }

    /**
     * Allocates every ring buffer and creates (but does not start) every thread. Cost:
     * {@code ringSize} pre-allocated slots per shard per stage.
     */
    public Pipeline(Topology topology, PipelineConfig config) {
        if (topology == null || config == null) {
            throw new IllegalArgumentException("a pipeline needs a topology and a config");
        }
        this.topology = topology;
        this.config = config;
        this.runtime = new PipelineRuntime(topology.name(), topology.plan(), config);
    }

    /**
     * Opens every sink, then starts every consumer thread and then the sources. Returns at once.
     *
     * @throws PipelineFailedException if a sink cannot open (its destination is missing, say);
     *         nothing was started, and {@link #close()} releases what the pipeline holds
     */
    public synchronized Pipeline start() {
        if (started || closed) {
            throw new IllegalStateException("pipeline '" + topology.name() + "' was already started; "
                    + "a pipeline runs once: create a new Pipeline to run the topology again");
        }
        if (stopRequested) {
            runtime.stop(); // a stop that came first is kept: the sources end at once and the pipeline drains
        }
        runtime.start(); // throws, leaving the pipeline unstarted, when a sink cannot open
        started = true;
        return this;
    }

    /**
     * Waits until the pipeline has ended, at most {@code timeout}.
     *
     * @return {@code true} if it ended after processing all its input, {@code false} if the
     *         timeout elapsed first
     * @throws PipelineFailedException if it ended because of a failure; the cause is the
     *         original exception
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        synchronized (this) {
            if (!started) {
                throw new IllegalStateException("pipeline '" + topology.name() + "' was never started; call start()");
            }
        }
        return runtime.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Stops gracefully, without waiting: sources are told to stop (and interrupted); every
     * record they emitted is still processed and written; with checkpointing on, a final
     * checkpoint then records where the pipeline stopped. Follow with {@link #awaitTermination}.
     * A stop is never lost: one that comes before {@link #start()} (a shutdown hook racing the
     * start, say) makes the start end at once, reading nothing.
     */
    public synchronized void stop() {
        if (stopRequested || closed) {
            return;
        }
        stopRequested = true;
        if (started) {
            runtime.stop();
        }
    }

    /** Where the pipeline is in its life. */
    public synchronized State state() {
        if (closed) {
            return State.CLOSED;
        }
        if (!started) {
            return State.CREATED;
        }
        if (runtime.failure() != null) {
            return State.FAILED;
        }
        if (runtime.isTerminated()) {
            return State.COMPLETED;
        }
        return stopRequested ? State.STOPPING : State.RUNNING;
    }

    /** The failure that halted the pipeline, if one did. */
    public Optional<PipelineFailedException> failure() {
        return Optional.ofNullable(runtime.failure());
    }

    /**
     * Records that window {@code window} dropped because every window they belonged to had
     * already closed, over all shards (also written to its late-record sink, if it has one).
     * Cost: a sum over the shards' counters.
     *
     * @param window the name of the window operator: the {@code Named} given to its
     *               {@code count}, {@code reduce} or {@code aggregate}
     * @throws IllegalArgumentException if the topology has no window of that name; the
     *         message lists the names it has
     */
    public long lateRecords(String window) {
        topology.plan().requireWindow(topology.name(), window);
        return runtime.counter(window, WindowOperator.LATE_RECORDS);
    }

    /** The stages, operators, ring buffers and threads of this pipeline. */
    public String describe() {
        return topology.describe(config);
    }

    /** Free slots in each shard's ring buffer, indexed by stage then shard. */
    public long[][] remainingCapacity() {
        return runtime.remainingCapacity();
    }

    /**
     * Takes a consistent checkpoint now (see {@link PipelineConfig#withCheckpointing}) and
     * waits until it is complete on disk.
     *
     * @return the checkpoint's id
     * @throws RingflowException if checkpointing is off, or the checkpoint was given up (a
     *         source ended, the pipeline stopped), failed, or took longer than {@code timeout}
     */
    public long checkpoint(Duration timeout) throws InterruptedException {
        synchronized (this) {
            if (!started) {
                throw new IllegalStateException("pipeline '" + topology.name() + "' was never started; call start()");
            }
        }
        return runtime.checkpoint(timeout);
    }

    /**
     * The id of the newest completed checkpoint: before the first one of this run, the one the
     * pipeline restored its state from at construction; 0 when there is none (or checkpointing
     * is off).
     */
    public long lastCheckpoint() {
        return runtime.lastCheckpoint();
    }

    /** How long every shard paused for the last completed checkpoint, in nanoseconds (0: none yet). */
    public long lastCheckpointPauseNanos() {
        return runtime.lastCheckpointPauseNanos();
    }

    /**
     * The registry holding this pipeline's {@code ringflow.*} meters (see
     * {@link PipelineConfig#withMeterRegistry}). They stay readable after the pipeline ends and
     * are removed from the registry by {@link #close()}.
     */
    public MeterRegistry meterRegistry() {
        return runtime.meterRegistry();
    }

    /**
     * Stops gracefully and waits for the drain, up to 30 seconds; if it has not finished by
     * then, halts every thread without draining. Never throws for a failed pipeline: read
     * {@link #failure()} or call {@link #awaitTermination} before closing.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        synchronized (this) {
            if (!started) {
                closed = true;
                runtime.releaseUnstarted();
                runtime.removeMeters();
                return;
            }
        }
        stop();
        try {
            if (!runtime.isTerminated()) {
                boolean drained;
                try {
                    drained = runtime.awaitTermination(CLOSE_DRAIN_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
                } catch (PipelineFailedException failed) {
                    drained = true;
                }
                if (!drained) {
                    LOG.warn("pipeline '{}' did not drain within {}; halting it", topology.name(), CLOSE_DRAIN_TIMEOUT);
                    if (!runtime.abort(CLOSE_DRAIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                        LOG.error("pipeline '{}': some threads did not end; a source may ignore isRunning() and interrupts",
                                topology.name());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            runtime.removeMeters();
            synchronized (this) {
                closed = true;
            }
        }
    }
}
