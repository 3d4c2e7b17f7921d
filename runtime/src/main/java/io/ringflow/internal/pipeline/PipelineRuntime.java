package io.ringflow.internal.pipeline;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.RingBuffer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ringflow.PipelineConfig;
import io.ringflow.PipelineFailedException;
import io.ringflow.RingflowException;
import io.ringflow.internal.checkpoint.CheckpointedWatermarks;
import io.ringflow.internal.graph.SourceNode;
import io.ringflow.internal.metrics.PipelineMetrics;
import io.ringflow.internal.operator.ShardClock;
import io.ringflow.internal.pipeline.CheckpointRestore.Restored;
import io.ringflow.internal.plan.ChainBuilder;
import io.ringflow.internal.plan.Edge;
import io.ringflow.internal.plan.ShardChain;
import io.ringflow.internal.plan.Stage;
import io.ringflow.internal.plan.StagePlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stage plan made real: one ring buffer and one consumer thread per shard of every stage,
 * one thread per source reader, and the life cycle that ties them together (start, drain on
 * stop or end of input, abort on failure). What the threads need besides rings (sinks, keyed
 * state, the restore, the reader layout, the final checkpoint) each has a class of its own.
 */
public final class PipelineRuntime {

    private final String name;
    private final StagePlan plan;
    private final PipelineConfig config;
    private final RunState runState;
    private final PipelineMetrics metrics;
    private final PipelineSinks sinks;
    private final PipelineState state;
    private final ReaderLayout layout;
    private final OperatorStores stores;
    /** Closed on the pipeline's last thread, after the final checkpoint. */
    private final DeferredCloses deferredCloses;
    /** Milliseconds between timer ticks, or 0 when the pipeline needs no timer thread. */
    private final long timerPeriodMillis;
    private final ShardRings rings;
    private final List<BatchEventProcessor<RecordEvent>> processors = new ArrayList<>();
    private final List<ShardHandler> handlers = new ArrayList<>();
    private final List<SourceReaderTask> readers = new ArrayList<>();
    private final List<Thread> shardThreads = new ArrayList<>();
    private final List<Thread> sourceThreads = new ArrayList<>();
    /** {@code null} when nothing needs processing time to pass without records. */
    private final Thread timer;
    private final PipelineCheckpoints checkpoints;
    /** Threads still running; the last to end finishes the pipeline. */
    private final AtomicInteger running;
    /** Released once every thread has ended and the pipeline is finished. */
    private final CountDownLatch terminated;

    /**
     * Checks the configuration, restores the latest checkpoint if checkpointing is on, opens
     * keyed state, and allocates every ring and creates (but does not start) every thread.
     *
     * @throws IllegalArgumentException if the configuration does not fit the plan
     */
    public PipelineRuntime(String name, StagePlan plan, PipelineConfig config) {
        PipelineChecks.check(name, plan, config);
        this.name = name;
        this.plan = plan;
        this.config = config;
        this.runState = new RunState(name);
        this.deferredCloses = new DeferredCloses(name);
        this.metrics = new PipelineMetrics(config.meterRegistry().orElseGet(SimpleMeterRegistry::new), name);
        this.sinks = new PipelineSinks(name, plan);
        this.state = new PipelineState(name, config); // before the restore deletes the live databases
        this.layout = new ReaderLayout(plan, config.parallelism(), config.sourceChaining());
        this.stores = new OperatorStores(state, metrics, partitionedEventTime());
        this.timerPeriodMillis = plan.timerPeriodMillis();
        try {
            Restored restored = CheckpointRestore.restore(name, plan, config, sinks);
            state.open(plan, config);
            this.rings = new ShardRings(plan, config, layout, timerPeriodMillis > 0, runState);
            createShards(restored);
            createSourceReaders();
            this.checkpoints = PipelineCheckpoints.of(name, plan, config, state, layout.shardsWithInput(), restored,
                    sinks, metrics, runState);
            checkpoints.handTo(readers, restored, config, plan.stages().size() * config.parallelism());
            this.timer = timerPeriodMillis > 0 ? newTimer() : null;
        } catch (RuntimeException e) {
            // The restore failed, or an operator refused its configuration: release the lock and
            // the sinks recovered, so a corrected pipeline can open the same state directory.
            sinks.closeTransactional();
            closeState();
            throw e;
        }
        this.running = new AtomicInteger(shardThreads.size() + sourceThreads.size());
        this.terminated = new CountDownLatch(shardThreads.size() + sourceThreads.size());
        runState.onHalt(this::haltThreads);
    }

    /** With shared checkpoints each state partition keeps its own event time (Kafka Streams' stream time). */
    private boolean partitionedEventTime() {
        return config.sharedCheckpoints().isPresent();
    }

    private void createShards(Restored restored) {
        for (Stage stage : plan.stages()) {
            for (int shard = 0; shard < config.parallelism(); shard++) {
                createShard(stage, shard, layout.inputs(stage.id(), shard));
            }
        }
        if (restored.checkpoint() != null && !partitionedEventTime()) {
            // With shared checkpoints each partition resumes at its own event time instead
            // (PartitionChange.timed): the partitions a shard holds may differ after a restart.
            for (ShardHandler handler : handlers) {
                handler.resumeAt(CheckpointedWatermarks.ofShard(restored.checkpoint().positions(), handler.slot()));
            }
        }
    }

    private void createShard(Stage stage, int shard, int expectedEnds) {
        ShardClock clock = new ShardClock();
        ShardChain chain = ChainBuilder.build(plan, stage, shard, config.errorHandler(),
                new RingWiring(rings, layout, clock), stores, clock);
        String threadName = ThreadNames.shard(name, stage.id(), shard);
        ShardHandler handler = new ShardHandler(threadName, stage.id() * config.parallelism() + shard, chain,
                expectedEnds, clock, timerPeriodMillis > 0, partitionedEventTime(), runState);
        metrics.watermarkLag(stage.id(), shard, handler::publishedWatermark);
        handlers.add(handler);
        ChainedSlots chained = rings.chained(stage.id(), shard);
        if (chained != null) {
            // Runs on its reader's thread: no ring to consume, no thread of its own.
            chained.attach(handler);
            metrics.ringRemaining(stage.id(), shard, chained::remainingCapacity);
            return;
        }
        RingBuffer<RecordEvent> ring = rings.ring(stage.id(), shard);
        metrics.ringRemaining(stage.id(), shard, ring::remainingCapacity);
        BatchEventProcessor<RecordEvent> processor =
                new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), handler);
        processor.setExceptionHandler(new FailOnException(runState, threadName));
        ring.addGatingSequences(processor.getSequence());
        handler.attach(processor);
        processors.add(processor);
        shardThreads.add(new Thread(() -> runToEnd(processor), threadName));
    }

    private void createSourceReaders() {
        int g = 0;
        int[] inputsSoFar = new int[config.parallelism()];
        for (SourceNode source : plan.sources()) {
            Edge edge = plan.edge(source, null);
            for (int reader = 0; reader < source.source().readers(); reader++, g++) {
                int shard = layout.shardOf(g);
                SourceReaderTask task = new SourceReaderTask(source, reader, edge.entry(), inputsSoFar[shard]++,
                        rings.publisher(edge.target().id(), shard), rings.chained(edge.target().id(), shard),
                        config.errorHandler(), metrics, runState, deferredCloses);
                readers.add(task);
                String threadName = ThreadNames.sourceReader(name, source.name(), reader);
                sourceThreads.add(new Thread(() -> runToEnd(task), threadName));
            }
        }
    }

    private Thread newTimer() {
        Thread thread = new Thread(new PipelineTimer(timerPeriodMillis, readers, rings.all(), runState,
                this::isTerminated), ThreadNames.timer(name));
        thread.setDaemon(true);
        return thread;
    }

    private void runToEnd(Runnable body) {
        try {
            body.run();
        } catch (Throwable t) {
            runState.fail(t, Thread.currentThread().getName());
        } finally {
            if (running.decrementAndGet() == 0) {
                finish();
            }
            terminated.countDown();
        }
    }

    /** On the last thread to end: the final checkpoint, then what must outlive it, then state and sinks. */
    private void finish() {
        try {
            checkpoints.takeFinal(readers, handlers);
        } finally {
            deferredCloses.closeAll();
        }
        closeState();
        sinks.close(runState);
    }

    /** Every shard has closed its stores; now the databases and the memory budget go. */
    private void closeState() {
        try {
            state.close();
        } catch (Throwable t) {
            runState.fail(t, "closing keyed state");
        }
    }

    /**
     * Releases what the constructor took (the state directory's lock, the databases, a temporary
     * directory, the exactly-once sinks' transactions) for a pipeline never started. It has no
     * thread to end: every one, the checkpoint scheduler's too, starts in {@link #start()}.
     */
    public void releaseUnstarted() {
        sinks.closeTransactional();
        closeState();
    }

    /**
     * Opens every sink, then starts every consumer thread, then the source readers that feed
     * them, then the timer and the checkpoint scheduler. A sink that cannot open stops the
     * start: the sinks already opened are closed again, and no thread was started.
     */
    public void start() {
        sinks.open();
        shardThreads.forEach(Thread::start);
        sourceThreads.forEach(Thread::start);
        if (timer != null) {
            timer.start();
        }
        checkpoints.start(ThreadNames.checkpointScheduler(name));
    }

    /**
     * Asks sources to stop (their {@code isRunning()} turns false and their threads are
     * interrupted). What they emitted is drained through every stage; then the pipeline ends.
     */
    public void stop() {
        checkpoints.stop();
        runState.stop();
        readers.forEach(SourceReaderTask::interruptIfReading);
    }

    /**
     * Waits up to {@code timeout} for every thread to end.
     *
     * @return whether they ended in time
     * @throws PipelineFailedException if the pipeline ended because of a failure
     */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        if (!terminated.await(timeout, unit)) {
            return false;
        }
        PipelineFailedException failed = runState.failure();
        if (failed != null) {
            throw failed;
        }
        return true;
    }

    /** Whether every thread has ended and the pipeline is finished. */
    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    /**
     * Halts every thread without draining and waits up to {@code timeout} for them to end. For
     * close() after a stop that did not finish in time.
     */
    public boolean abort(long timeout, TimeUnit unit) throws InterruptedException {
        runState.halt();
        return terminated.await(timeout, unit);
    }

    /** What a halt does once the threads exist: checkpoints give up, consumers and sources are stopped. */
    private void haltThreads() {
        checkpoints.abort();
        processors.forEach(BatchEventProcessor::halt);
        readers.forEach(SourceReaderTask::interruptIfReading);
    }

    /** The failure that halted the pipeline, or {@code null}. */
    public PipelineFailedException failure() {
        return runState.failure();
    }

    /**
     * Takes a checkpoint now and waits for it.
     *
     * @return its id
     * @throws RingflowException if checkpointing is off, or the checkpoint was given up, failed
     *         or took longer than {@code timeout}
     */
    public long checkpoint(Duration timeout) throws InterruptedException {
        return checkpoints.takeNow(timeout);
    }

    /** The id of the last completed checkpoint (0: none). */
    public long lastCheckpoint() {
        return checkpoints.completed();
    }

    /** How long the last completed checkpoint paused the shards, in nanoseconds. */
    public long lastCheckpointPauseNanos() {
        return checkpoints.lastPauseNanos();
    }

    /** Removes the pipeline's meters from the registry (they stay readable until then, also after the end). */
    public void removeMeters() {
        metrics.close();
    }

    /** Where this pipeline's meters are. */
    public MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    /** Operator {@code operator}'s counter {@code metric}, summed over shards; 0 if it never counted. */
    public long counter(String operator, String metric) {
        return metrics.operatorCount(operator, metric);
    }

    /** Free slots in each shard's ring buffer, by stage then shard. */
    public long[][] remainingCapacity() {
        return rings.remainingCapacity();
    }
}
