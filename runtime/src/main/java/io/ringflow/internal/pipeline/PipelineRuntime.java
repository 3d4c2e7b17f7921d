package io.ringflow.internal.pipeline;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import io.ringflow.PipelineConfig;
import io.ringflow.PipelineFailedException;
import io.ringflow.Sink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ringflow.internal.checkpoint.CheckpointCoordinator;
import io.ringflow.internal.checkpoint.CheckpointStorage;
import io.ringflow.internal.checkpoint.CheckpointedWatermarks;
import io.ringflow.internal.handoff.PartitionHandoff;
import io.ringflow.internal.graph.Node;
import io.ringflow.internal.metrics.PipelineMetrics;
import io.ringflow.internal.graph.OperatorNode;
import io.ringflow.state.StateBackend;
import io.ringflow.state.StateDirectoryLock;
import io.ringflow.state.memory.InMemoryStateBackend;
import io.ringflow.state.rocksdb.RocksDbStateBackend;
import io.ringflow.internal.graph.SinkNode;
import io.ringflow.internal.graph.SourceNode;
import io.ringflow.internal.operator.Exchange;
import io.ringflow.internal.operator.Operator;
import io.ringflow.internal.operator.WindowOperator;
import io.ringflow.internal.operator.OperatorContext;
import io.ringflow.internal.operator.ShardClock;
import io.ringflow.internal.operator.SinkOperator;
import io.ringflow.internal.plan.ChainBuilder;
import io.ringflow.internal.plan.Edge;
import io.ringflow.internal.plan.ShardChain;
import io.ringflow.internal.plan.Stage;
import io.ringflow.internal.plan.StagePlan;
import io.ringflow.internal.plan.Wiring;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stage plan made real: one ring buffer and one consumer thread per shard of every stage,
 * one thread per source reader, and the life cycle that ties them together (start, drain on
 * stop or end of input, abort on failure).
 */
public final class PipelineRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineRuntime.class);

    private final String name;
    private final StagePlan plan;
    private final PipelineConfig config;
    private final RingPublisher[][] publishers;
    private final List<BatchEventProcessor<RecordEvent>> processors = new ArrayList<>();
    private final List<Thread> shardThreads = new ArrayList<>();
    private final List<Thread> sourceThreads = new ArrayList<>();
    private final List<SourceReaderTask> readers = new ArrayList<>();
    private final List<ShardHandler> handlers = new ArrayList<>();
    /** Milliseconds between timer ticks, or 0 when the pipeline needs no timer thread. */
    private final long timerPeriodMillis;
    private Thread timer;
    private final CountDownLatch terminated;
    private final StateBackend stateBackend;
    private final StateBackend heap = new InMemoryStateBackend();
    private final Path temporaryStateDirectory;
    /** This pipeline's hold on its state directory, from construction to the end; {@code null} without one. */
    private final StateDirectoryLock directoryLock;
    private final OperatorContext.StateStores stores = new OperatorContext.StateStores() {
        @Override
        public StateBackend backend(String operator, boolean inMemory) {
            return inMemory ? heap : stateBackend;
        }

        @Override
        public PipelineMetrics metrics() {
            return metrics;
        }

        @Override
        public LongAdder counter(String operator, String metric) {
            return metrics.operatorCounter(operator, metric, WindowOperator.LATE_RECORDS);
        }

        @Override
        public boolean partitionedEventTime() {
            return PipelineRuntime.this.partitionedEventTime();
        }
    };
    private final PipelineMetrics metrics;
    /** Closed on the pipeline's last thread, after the final checkpoint. */
    private final DeferredCloses deferredCloses;
    /** {@code null} when checkpointing is off. */
    private final CheckpointCoordinator checkpoints;
    /** The topology's transactional sinks: they commit with checkpoints. */
    private final List<CheckpointCoordinator.Committer> committers;
    private final AtomicInteger running;
    private final RunState runState;

    public PipelineRuntime(String name, StagePlan plan, PipelineConfig config) {
        this.name = name;
        this.plan = plan;
        this.config = config;
        this.runState = new RunState(name);
        this.deferredCloses = new DeferredCloses(name);
        this.metrics = new PipelineMetrics(config.meterRegistry().orElseGet(SimpleMeterRegistry::new), name);
        int parallelism = config.parallelism();
        if (config.sharedCheckpoints().isPresent() && config.checkpointInterval().isEmpty()) {
            throw new IllegalArgumentException("pipeline '" + name + "': shared checkpoints hand keyed state over"
                    + " through checkpoints, which are off; add PipelineConfig.withCheckpointing(interval)");
        }
        if (config.checkpointInterval().isPresent()) {
            CheckpointRestore.refuseUnreplayableSources(name, plan);
        }
        this.committers = transactionalSinks(name, plan, config);
        // Before anything reads or deletes in the directory: a restore deletes the live databases.
        this.directoryLock = config.stateDirectory().map(StateDirectoryLock::acquire).orElse(null);
        CheckpointStorage.Checkpoint restored = null;
        long committed = 0;
        if (config.checkpointInterval().isPresent()) {
            try {
                long bound = Long.MAX_VALUE;
                for (CheckpointCoordinator.Committer committer : committers) {
                    long id = recover(name, committer);
                    bound = Math.min(bound, id);
                    committed = Math.max(committed, id);
                }
                restored = CheckpointRestore.restoreLatest(name, plan, config, bound);
            } catch (RuntimeException e) {
                closeTransactionalSinks();
                releaseDirectory();
                throw e;
            }
        }
        if (needsState(plan) && !config.inMemoryState()) {
            this.temporaryStateDirectory = config.stateDirectory().isEmpty() ? TemporaryDirectory.create(name) : null;
            Path directory = config.stateDirectory().orElse(temporaryStateDirectory);
            try {
                this.stateBackend = new RocksDbStateBackend(directory, parallelism, config.stateMemoryBytes(),
                        config.stateCacheEntries());
            } catch (RuntimeException e) {
                deleteTemporaryState();
                releaseDirectory();
                throw e;
            }
        } else {
            this.temporaryStateDirectory = null;
            this.stateBackend = heap;
        }
        try {
            int[] readerShards = assignReaders(plan, parallelism);
            this.timerPeriodMillis = plan.timerPeriodMillis();

            List<Stage> stages = plan.stages();
            this.publishers = new RingPublisher[stages.size()][];
            int[][] inputs = new int[stages.size()][];
            for (Stage stage : stages) {
                inputs[stage.id()] = countInputs(stage, readerShards, parallelism);
                publishers[stage.id()] = new RingPublisher[parallelism];
                for (int shard = 0; shard < parallelism; shard++) {
                    publishers[stage.id()][shard] = new RingPublisher(newRing(inputs[stage.id()][shard]), runState);
                }
            }
            int shardsWithInput = 0;
            for (Stage stage : stages) {
                for (int shard = 0; shard < parallelism; shard++) {
                    createShard(stage, shard, inputs[stage.id()][shard]);
                    if (inputs[stage.id()][shard] > 0) {
                        shardsWithInput++; // a shard no input reaches ends at once and sees no barrier
                    }
                }
            }
            createSourceReaders(readerShards);
            if (restored != null && !partitionedEventTime()) {
                // With shared checkpoints each partition resumes at its own event time instead
                // (PartitionChange.timed): the partitions a shard holds may differ after a restart.
                for (ShardHandler handler : handlers) {
                    handler.resumeAt(CheckpointedWatermarks.ofShard(restored.positions(), handler.slot()));
                }
            }
            this.checkpoints = config.checkpointInterval().isEmpty() ? null : new CheckpointCoordinator(name,
                    new CheckpointStorage(config.checkpointDirectory().orElseThrow()),
                    stateBackend instanceof RocksDbStateBackend rocks ? rocks : null, parallelism, storeNames(plan),
                    config.checkpointsRetained(), shardsWithInput, restored == null ? 0 : restored.id(), committed,
                    committers, runState::fail, config.checkpointInterval().get(), metrics.checkpoints(),
                    config.tolerableCheckpointFailures());
            PartitionHandoff handoff = config.sharedCheckpoints().isEmpty() ? null : new PartitionHandoff(name,
                    config.sharedCheckpoints().get(), restored, stages.size() * parallelism);
            if (handoff != null) {
                checkpoints.alsoRetain(handoff::newestCopies);
            }
            for (SourceReaderTask reader : readers) {
                reader.checkpoints(checkpoints,
                        restored == null ? null : restored.position(reader.sourceName(), reader.reader()).orElse(null),
                        handoff);
            }
            if (timerPeriodMillis > 0) {
                List<RingPublisher> all = new ArrayList<>();
                for (RingPublisher[] stage : publishers) {
                    all.addAll(List.of(stage));
                }
                timer = new Thread(new PipelineTimer(timerPeriodMillis, readers, all, runState, this::isTerminated),
                        "ringflow-" + name + "-timer");
                timer.setDaemon(true);
            }
        } catch (RuntimeException e) {
            // An operator refused its configuration: release the databases' lock and the sinks
            // recovered above, so a corrected pipeline can open the same state directory.
            closeTransactionalSinks();
            closeState();
            throw e;
        }
        this.terminated = new CountDownLatch(shardThreads.size() + sourceThreads.size());
        this.running = new AtomicInteger(shardThreads.size() + sourceThreads.size());
        runState.onHalt(this::haltThreads);
    }

    /** The names of the topology's stores: one per stateful operator. */
    static TreeSet<String> storeNames(StagePlan plan) {
        TreeSet<String> names = new TreeSet<>();
        for (Stage stage : plan.stages()) {
            for (Node node : stage.nodes()) {
                if (node instanceof OperatorNode op && op.stateful()) {
                    names.add(node.name());
                }
            }
        }
        return names;
    }

    /** The distinct transactional sinks of the plan; refuses them when checkpointing is off. */
    static List<CheckpointCoordinator.Committer> transactionalSinks(String name, StagePlan plan,
                                                                          PipelineConfig config) {
        List<CheckpointCoordinator.Committer> found = new ArrayList<>();
        for (SinkNode node : distinctSinks(plan)) {
            if (node.sink() instanceof io.ringflow.TransactionalSink<?> sink) {
                if (config.checkpointInterval().isEmpty()) {
                    throw new IllegalArgumentException("pipeline '" + name + "': sink '" + node.name() + "' ("
                            + sink + ") is exactly-once: its output commits with checkpoints, which are off; turn"
                            + " them on with PipelineConfig.withCheckpointing(interval), or use the sink's"
                            + " at-least-once mode");
                }
                found.add(new CheckpointCoordinator.Committer(node.name(), sink));
            }
        }
        if (found.size() > 1) {
            // Each commits in a transaction of its own: a crash between two commits leaves one
            // sink a checkpoint ahead, and the restore, bound by the other, writes its output again.
            throw new IllegalArgumentException("pipeline '" + name + "': sinks '" + found.get(0).name() + "' and '"
                    + found.get(1).name() + "' are both exactly-once, and each commits in a transaction of its own:"
                    + " a crash between their commits would make a restore write one of them twice. Send the"
                    + " results through one exactly-once sink (merge the streams first), or build the others"
                    + " at-least-once");
        }
        return found;
    }

    private static long recover(String name, CheckpointCoordinator.Committer committer) {
        try {
            long id = committer.sink().recover();
            LOG.info("pipeline '{}': sink '{}' last committed checkpoint {}", name, committer.name(), id);
            return id;
        } catch (Exception e) {
            throw new io.ringflow.RingflowException("pipeline '" + name + "': sink '" + committer.name()
                    + "' could not recover its transactions: " + e.getMessage(), e);
        }
    }

    private void closeTransactionalSinks() {
        for (CheckpointCoordinator.Committer committer : committers) {
            try {
                committer.sink().close();
            } catch (Exception e) {
                LOG.warn("pipeline '{}': closing sink '{}' failed", name, committer.name(), e);
            }
        }
    }

    static boolean needsState(StagePlan plan) {
        for (Stage stage : plan.stages()) {
            for (Node node : stage.nodes()) {
                if (node instanceof OperatorNode op && op.stateful()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Reader {@code g} (counted over all sources, in order) feeds shard {@code g mod parallelism}. */
    private static int[] assignReaders(StagePlan plan, int parallelism) {
        int total = 0;
        for (SourceNode source : plan.sources()) {
            total += source.source().readers();
        }
        int[] shards = new int[total];
        for (int g = 0; g < total; g++) {
            shards[g] = g % parallelism;
        }
        return shards;
    }

    /**
     * How many producers end their input into each shard of {@code stage}: the readers assigned
     * to it, every upstream shard of a hash edge, the same-index shard of a forward edge.
     */
    private int[] countInputs(Stage stage, int[] readerShards, int parallelism) {
        int[] counts = new int[parallelism];
        for (Edge edge : stage.inbound()) {
            switch (edge.routing()) {
                case SOURCE -> {
                    int first = firstReaderOf((SourceNode) edge.from());
                    int readers = ((SourceNode) edge.from()).source().readers();
                    for (int r = 0; r < readers; r++) {
                        counts[readerShards[first + r]]++;
                    }
                }
                case HASH -> {
                    for (int shard = 0; shard < parallelism; shard++) {
                        counts[shard] += parallelism;
                    }
                }
                case FORWARD -> {
                    for (int shard = 0; shard < parallelism; shard++) {
                        counts[shard]++;
                    }
                }
            }
        }
        return counts;
    }

    private int firstReaderOf(SourceNode node) {
        int first = 0;
        for (SourceNode source : plan.sources()) {
            if (source == node) {
                return first;
            }
            first += source.source().readers();
        }
        throw new IllegalStateException(node + " is not in the plan");
    }

    /**
     * A ring with one producer thread skips the multi-producer CAS on every publish; the timer
     * thread, when there is one, publishes into every ring.
     */
    private RingBuffer<RecordEvent> newRing(int producers) {
        return producers <= 1 && timerPeriodMillis == 0
                ? RingBuffer.createSingleProducer(RecordEvent::new, config.ringSize(), WaitStrategies.create(config.waitStrategy()))
                : RingBuffer.createMultiProducer(RecordEvent::new, config.ringSize(), WaitStrategies.create(config.waitStrategy()));
    }

    private void createShard(Stage stage, int shard, int expectedEnds) {
        ShardClock clock = new ShardClock();
        Wiring wiring = new Wiring() {
            @Override
            public Exchange exchange(Edge edge, int upstreamShard) {
                return RingExchange.of(edge, upstreamShard, firstInputOf(edge), publishers[edge.target().id()], clock);
            }

            @Override
            public Operator sink(OperatorContext context, SinkNode node) {
                return new SinkOperator(context, node.sink());
            }
        };
        ShardChain chain = ChainBuilder.build(plan, stage, shard, config.errorHandler(), wiring, stores, clock);
        String threadName = "ringflow-" + name + "-stage" + stage.id() + "-shard" + shard;
        ShardHandler handler = new ShardHandler(threadName, stage.id() * config.parallelism() + shard, chain,
                expectedEnds, clock, timerPeriodMillis > 0, partitionedEventTime(), runState);
        RingBuffer<RecordEvent> ring = ringOf(stage, shard);
        metrics.ringRemaining(stage.id(), shard, ring::remainingCapacity);
        metrics.watermarkLag(stage.id(), shard, handler::publishedWatermark);
        BatchEventProcessor<RecordEvent> processor =
                new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), handler);
        processor.setExceptionHandler(new FailOnException(threadName));
        ring.addGatingSequences(processor.getSequence());
        handler.attach(processor);
        handlers.add(handler);
        processors.add(processor);
        shardThreads.add(new Thread(() -> runToEnd(processor), threadName));
    }

    /**
     * The input index, at every shard of the edge's target stage, of the edge's first producer.
     * A stage fed by sources has only source edges, so edges between stages number their
     * producers after each other in the target's inbound order: a hash edge has one input per
     * upstream shard, a forward edge one.
     */
    private int firstInputOf(Edge edge) {
        int first = 0;
        for (Edge inbound : edge.target().inbound()) {
            if (inbound == edge) {
                return first;
            }
            first += inbound.routing() == Edge.Routing.HASH ? config.parallelism() : 1;
        }
        throw new IllegalStateException(edge + " is not an inbound edge of its target");
    }

    private RingBuffer<RecordEvent> ringOf(Stage stage, int shard) {
        return publishers[stage.id()][shard].ring();
    }

    private void createSourceReaders(int[] readerShards) {
        int g = 0;
        int[] inputsSoFar = new int[config.parallelism()];
        for (SourceNode source : plan.sources()) {
            Edge edge = plan.edge(source, null);
            for (int reader = 0; reader < source.source().readers(); reader++, g++) {
                int shard = readerShards[g];
                RingPublisher publisher = publishers[edge.target().id()][shard];
                SourceReaderTask task = new SourceReaderTask(source, reader, edge.entry(), inputsSoFar[shard]++,
                        publisher, config.errorHandler(), metrics, runState, deferredCloses);
                readers.add(task);
                sourceThreads.add(new Thread(() -> runToEnd(task),
                        "ringflow-" + name + "-source-" + source.name() + "-" + reader));
            }
        }
    }

    private void runToEnd(Runnable body) {
        try {
            body.run();
        } catch (Throwable t) {
            runState.fail(t, Thread.currentThread().getName());
        } finally {
            if (running.decrementAndGet() == 0) {
                try {
                    finalCheckpoint();
                } finally {
                    deferredCloses.closeAll();
                }
                closeState();
                closeSinks();
            }
            terminated.countDown();
        }
    }

    /** With shared checkpoints each state partition keeps its own event time (Kafka Streams' stream time). */
    private boolean partitionedEventTime() {
        return config.sharedCheckpoints().isPresent();
    }

    /**
     * A pipeline that ended cleanly (stopped or out of input, all drained) checkpoints where it
     * stands, so a restart resumes exactly here and transactional sinks commit their last output.
     */
    private void finalCheckpoint() {
        if (checkpoints == null || runState.failure() != null || runState.isAborted()) {
            return;
        }
        try {
            checkpoints.completeAtEnd(id -> {
                java.util.Map<String, byte[]> positions = new java.util.HashMap<>();
                for (SourceReaderTask reader : readers) {
                    positions.put(reader.positionKey(), reader.finalPosition(id));
                    byte[] watermarks = reader.partitionWatermarks();
                    if (watermarks != null) {
                        positions.put(reader.watermarksKey(), watermarks);
                    }
                }
                for (ShardHandler handler : handlers) {
                    handler.recordFinalWatermark(positions);
                }
                return positions;
            });
        } catch (Throwable t) {
            runState.fail(t, "the final checkpoint");
        }
    }

    /** Every shard has closed its stores; now the databases and the memory budget go. */
    private void closeState() {
        try {
            stateBackend.close();
        } catch (Throwable t) {
            runState.fail(t, "closing keyed state");
        } finally {
            deleteTemporaryState();
            releaseDirectory();
        }
    }

    private void releaseDirectory() {
        if (directoryLock != null) {
            directoryLock.close();
        }
    }

    private void deleteTemporaryState() {
        if (temporaryStateDirectory != null) {
            try {
                TemporaryDirectory.delete(temporaryStateDirectory);
            } catch (java.io.IOException e) {
                LOG.warn("pipeline '{}': could not delete its temporary state directory {}", name,
                        temporaryStateDirectory, e);
            }
        }
    }

    /** Releases what the constructor took (state backend, temporary directory) for a pipeline never started. */
    public void releaseUnstarted() {
        if (checkpoints != null) {
            checkpoints.close(); // its timer runs from construction
        }
        closeTransactionalSinks();
        closeState();
    }

    /**
     * Takes a checkpoint now and waits for it.
     *
     * @return its id
     * @throws io.ringflow.RingflowException if checkpointing is off, or the checkpoint was given
     *         up, failed or took longer than {@code timeout}
     */
    public long checkpoint(java.time.Duration timeout) throws InterruptedException {
        if (checkpoints == null) {
            throw new io.ringflow.RingflowException("pipeline '" + name + "' has checkpointing off; turn it on with"
                    + " PipelineConfig.withCheckpointing(interval) (Duration.ZERO: on demand only)");
        }
        long id = checkpoints.trigger();
        try {
            checkpoints.await(id, timeout);
        } catch (io.ringflow.RingflowException e) {
            checkpoints.abort("it took longer than " + timeout);
            throw e;
        }
        return id;
    }

    /** The id of the last completed checkpoint (0: none), and how long it paused the shards. */
    public long lastCheckpoint() {
        return checkpoints == null ? 0 : checkpoints.completed();
    }

    public long lastCheckpointPauseNanos() {
        return checkpoints == null ? 0 : checkpoints.lastPauseNanos();
    }

    /** Removes the pipeline's meters from the registry (they stay readable until then, also after the end). */
    public void removeMeters() {
        metrics.close();
    }

    /** Where this pipeline's meters are. */
    public MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    private void openSinks() {
        List<SinkNode> opened = new ArrayList<>();
        for (SinkNode node : distinctSinks()) {
            try {
                node.sink().open();
                opened.add(node);
            } catch (Exception e) {
                for (SinkNode done : opened) {
                    try {
                        done.sink().close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw new PipelineFailedException("pipeline '" + name + "' could not start: sink '" + node.name()
                        + "' failed to open: " + e.getMessage(), e, null);
            }
        }
    }

    private List<SinkNode> distinctSinks() {
        return distinctSinks(plan);
    }

    /** Each sink instance once, in plan order, however many sink nodes share it. */
    private static List<SinkNode> distinctSinks(StagePlan plan) {
        Set<Sink<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<SinkNode> sinks = new ArrayList<>();
        for (Stage stage : plan.stages()) {
            for (Node node : stage.nodes()) {
                if (node instanceof SinkNode sinkNode && seen.add(sinkNode.sink())) {
                    sinks.add(sinkNode);
                }
            }
        }
        return sinks;
    }

    /**
     * Every shard writes to the same sink instance, so a sink is closed once, by the last
     * thread to end, before anyone waiting on termination is released.
     */
    private void closeSinks() {
        for (SinkNode sinkNode : distinctSinks()) {
            try {
                sinkNode.sink().close();
            } catch (Throwable t) {
                runState.fail(t, "closing sink '" + sinkNode.name() + "'");
            }
        }
    }

    /**
     * Opens every sink, then starts every consumer thread, then the source readers that feed
     * them. A sink that cannot open stops the start: the sinks already opened are closed again.
     */
    public void start() {
        openSinks();
        shardThreads.forEach(Thread::start);
        sourceThreads.forEach(Thread::start);
        if (timer != null) {
            timer.start();
        }
    }

    /**
     * Asks sources to stop (their {@code isRunning()} turns false and their threads are
     * interrupted). What they emitted is drained through every stage; then the pipeline ends.
     */
    public void stop() {
        if (checkpoints != null) {
            checkpoints.close();
        }
        runState.stop();
        readers.forEach(SourceReaderTask::interruptIfReading);
    }

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
        if (checkpoints != null) {
            checkpoints.abort("the pipeline failed or was halted");
        }
        processors.forEach(BatchEventProcessor::halt);
        readers.forEach(SourceReaderTask::interruptIfReading);
    }

    /** Operator {@code operator}'s counter {@code metric}, summed over shards; 0 if it never counted. */
    public long counter(String operator, String metric) {
        return metrics.operatorCount(operator, metric);
    }

    public PipelineFailedException failure() {
        return runState.failure();
    }

    /** Free slots in each shard's ring buffer, by stage then shard. */
    public long[][] remainingCapacity() {
        long[][] remaining = new long[publishers.length][];
        for (int stage = 0; stage < publishers.length; stage++) {
            remaining[stage] = new long[publishers[stage].length];
            for (int shard = 0; shard < publishers[stage].length; shard++) {
                remaining[stage][shard] = publishers[stage][shard].remainingCapacity();
            }
        }
        return remaining;
    }

    private final class FailOnException implements ExceptionHandler<RecordEvent> {
        private final String where;

        FailOnException(String where) {
            this.where = where;
        }

        @Override
        public void handleEventException(Throwable ex, long sequence, RecordEvent event) {
            runState.fail(ex, where);
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            runState.fail(ex, where);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            runState.fail(ex, where);
        }
    }
}
