package io.ringflow;

import io.micrometer.core.instrument.MeterRegistry;
import io.ringflow.error.ErrorHandler;
import io.ringflow.state.internal.CheckpointFormat;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a topology runs: parallelism, ring size, wait strategy, error handling. Immutable;
 * every {@code with...} returns a new instance.
 *
 * <pre>{@code
 * PipelineConfig config = PipelineConfig.defaults()
 *         .withParallelism(2)
 *         .withErrorHandler(ErrorHandler.logAndContinue());
 * }</pre>
 */
public final class PipelineConfig {

    private static final int DEFAULT_RING_SIZE = 1024;
    private static final long DEFAULT_STATE_MEMORY = 64L << 20;
    private static final int DEFAULT_CACHE_ENTRIES = 100_000;
    private static final int DEFAULT_TOLERABLE_CHECKPOINT_FAILURES = 3;

    private final int parallelism;
    private final int ringSize;
    private final RingWaitStrategy waitStrategy;
    private final ErrorHandler errorHandler;
    private final Path stateDirectory;
    private final boolean inMemoryState;
    private final long stateMemoryBytes;
    private final int stateCacheEntries;
    /** {@code null}: each pipeline gets its own SimpleMeterRegistry. */
    private final MeterRegistry meterRegistry;
    /** {@code null}: no checkpoints. */
    private final java.time.Duration checkpointInterval;
    private final int checkpointsRetained;
    /** {@code null}: checkpoints stay in the state directory and state stays with its instance. */
    private final Path sharedCheckpoints;
    private final String instanceId;
    private final int tolerableCheckpointFailures;
    private final boolean emptyStateWhenCheckpointsUnusable;

    private PipelineConfig(Settings settings) {
        this.parallelism = settings.parallelism;
        this.ringSize = settings.ringSize;
        this.waitStrategy = settings.waitStrategy;
        this.errorHandler = settings.errorHandler;
        this.stateDirectory = settings.stateDirectory;
        this.inMemoryState = settings.inMemoryState;
        this.stateMemoryBytes = settings.stateMemoryBytes;
        this.stateCacheEntries = settings.stateCacheEntries;
        this.meterRegistry = settings.meterRegistry;
        this.checkpointInterval = settings.checkpointInterval;
        this.checkpointsRetained = settings.checkpointsRetained;
        this.sharedCheckpoints = settings.sharedCheckpoints;
        this.instanceId = settings.instanceId;
        this.tolerableCheckpointFailures = settings.tolerableCheckpointFailures;
        this.emptyStateWhenCheckpointsUnusable = settings.emptyStateWhenCheckpointsUnusable;
    }

    /** Every setting, mutable only while one {@code with...} call makes its copy. */
    private static final class Settings {
        int parallelism = 1;
        int ringSize = DEFAULT_RING_SIZE;
        RingWaitStrategy waitStrategy = RingWaitStrategy.BLOCKING;
        ErrorHandler errorHandler = ErrorHandler.failPipeline();
        Path stateDirectory;
        boolean inMemoryState;
        long stateMemoryBytes = DEFAULT_STATE_MEMORY;
        int stateCacheEntries = DEFAULT_CACHE_ENTRIES;
        MeterRegistry meterRegistry;
        java.time.Duration checkpointInterval;
        int checkpointsRetained = 3;
        Path sharedCheckpoints;
        String instanceId;
        int tolerableCheckpointFailures = DEFAULT_TOLERABLE_CHECKPOINT_FAILURES;
        boolean emptyStateWhenCheckpointsUnusable;
    }

    /** The one copy path: a new config with this one's settings and {@code change} applied. */
    private PipelineConfig with(java.util.function.Consumer<Settings> change) {
        Settings settings = new Settings();
        settings.parallelism = parallelism;
        settings.ringSize = ringSize;
        settings.waitStrategy = waitStrategy;
        settings.errorHandler = errorHandler;
        settings.stateDirectory = stateDirectory;
        settings.inMemoryState = inMemoryState;
        settings.stateMemoryBytes = stateMemoryBytes;
        settings.stateCacheEntries = stateCacheEntries;
        settings.meterRegistry = meterRegistry;
        settings.checkpointInterval = checkpointInterval;
        settings.checkpointsRetained = checkpointsRetained;
        settings.sharedCheckpoints = sharedCheckpoints;
        settings.instanceId = instanceId;
        settings.tolerableCheckpointFailures = tolerableCheckpointFailures;
        settings.emptyStateWhenCheckpointsUnusable = emptyStateWhenCheckpointsUnusable;
        change.accept(settings);
        return new PipelineConfig(settings);
    }

    /**
     * Parallelism 1, ring size 1024, {@link RingWaitStrategy#BLOCKING},
     * {@link ErrorHandler#failPipeline()}, keyed state in RocksDB in a new temporary directory
     * that is deleted when the pipeline closes (set {@link #withStateDirectory} to keep state
     * across restarts), a 64 MiB memory budget and a write-back cache of 100,000 entries per
     * store.
     */
    public static PipelineConfig defaults() {
        return new PipelineConfig(new Settings());
    }

    /**
     * Number of shards of every stage: each shard is one ring buffer and one consumer thread,
     * and each key lives on exactly one shard.
     */
    public PipelineConfig withParallelism(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        return with(s -> s.parallelism = parallelism);
    }

    /**
     * Slots per ring buffer, a power of two. Each slot is allocated once, up front. A larger
     * ring absorbs longer bursts before the source is slowed; a smaller one keeps less in
     * flight (less to drain on stop, lower queueing latency under overload).
     */
    public PipelineConfig withRingSize(int ringSize) {
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("ring size must be a power of two (>= 2), got " + ringSize
                    + "; use " + suggestedRingSize(ringSize));
        }
        return with(s -> s.ringSize = ringSize);
    }

    /**
     * The power of two above {@code ringSize}, at least 2 and at most 2^30, the largest an
     * {@code int} holds: doubling {@code highestOneBit} past 2^30 overflows to a negative.
     */
    private static int suggestedRingSize(int ringSize) {
        if (ringSize > 1 << 30) {
            return 1 << 30;
        }
        return Math.max(2, Integer.highestOneBit(Math.max(ringSize, 1)) << 1);
    }

    /** How consumer threads wait for records; see {@link RingWaitStrategy} for the costs. */
    public PipelineConfig withWaitStrategy(RingWaitStrategy waitStrategy) {
        if (waitStrategy == null) {
            throw new IllegalArgumentException("wait strategy must not be null");
        }
        return with(s -> s.waitStrategy = waitStrategy);
    }

    /** What happens to a record whose processing throws; see {@link ErrorHandler}. */
    public PipelineConfig withErrorHandler(ErrorHandler errorHandler) {
        if (errorHandler == null) {
            throw new IllegalArgumentException("error handler must not be null; use ErrorHandler.failPipeline()");
        }
        return with(s -> s.errorHandler = errorHandler);
    }

    /**
     * Where RocksDB keeps keyed state: {@code <directory>/shard-<n>}, one database per shard.
     * A pipeline started again with the same directory (and parallelism) finds its state as
     * it was left by a clean stop. Two pipelines cannot share a directory.
     */
    public PipelineConfig withStateDirectory(Path directory) {
        if (directory == null) {
            throw new IllegalArgumentException("state directory must not be null");
        }
        return with(s -> s.stateDirectory = directory);
    }

    /**
     * Keeps every keyed operator's state on the heap instead of RocksDB: fastest, lost on
     * stop, bounded only by the heap. For tests and state that can be rebuilt.
     */
    public PipelineConfig withInMemoryState() {
        return with(s -> s.inMemoryState = true);
    }

    /**
     * The one off-heap budget of all RocksDB state of the pipeline, every shard and store
     * together: block cache plus memtables (which take at most half).
     */
    public PipelineConfig withStateMemory(long bytes) {
        if (bytes < 1 << 20) {
            throw new IllegalArgumentException("state memory must be at least 1 MiB, got " + bytes);
        }
        return with(s -> s.stateMemoryBytes = bytes);
    }

    /**
     * Entries of the write-back cache in front of each RocksDB key-value store (per store, per
     * shard); 0 turns the cache off, so every read and write goes to RocksDB. Dirty entries are
     * written to RocksDB in one batch when the cache is full and on close; writing costs the
     * shard's thread about a microsecond per entry, so a larger cache absorbs more updates
     * and stalls longer, less often. Heap cost: the entries' keys and values, as objects
     * (about 20 MB for 100,000 small entries). The default, 100,000, holds every live window
     * of, say, 1,000 keys in 10-second windows hopping by 1 second (11,000 windows): such
     * windows then close without ever being written to RocksDB. A cache smaller than the live
     * windows writes constantly (measured: the trading workload of {@code LatencyHarness}
     * saturated at 100,000 trades/s with 10,000 entries, p99 3.9 ms with 100,000).
     */
    public PipelineConfig withStateCacheEntries(int entries) {
        if (entries < 0) {
            throw new IllegalArgumentException("state cache entries must be >= 0 (0 turns it off), got " + entries);
        }
        return with(s -> s.stateCacheEntries = entries);
    }

    /**
     * Where the pipeline's meters go ({@code ringflow.*}, tagged with the topology name):
     * records in and out per operator and shard, end-to-end latency per sink (a Timer with
     * p50/p90/p99/p99.9), ring-buffer free slots, watermark lag, late records, state store
     * operation time (sampled) and size, and errors by handler outcome. Default: a new
     * {@code SimpleMeterRegistry} per pipeline, read through {@code Pipeline.meterRegistry()}.
     * Hot-path counters are single-writer fields read at scrape time, so the cost per record is
     * a few nanoseconds plus one timer update per record written by a sink.
     */
    public PipelineConfig withMeterRegistry(MeterRegistry registry) {
        if (registry == null) {
            throw new IllegalArgumentException("withMeterRegistry needs a registry, for example new SimpleMeterRegistry() "
                    + "or a PrometheusMeterRegistry");
        }
        return with(s -> s.meterRegistry = registry);
    }

    /**
     * Takes consistent checkpoints every {@code interval} ({@code Duration.ZERO}: only when
     * {@code Pipeline.checkpoint(...)} asks): every shard's RocksDB state and every source
     * reader's position, at one cut through the stream. A pipeline started on the same state
     * directory restores the latest complete checkpoint and its sources resume from their
     * recorded positions, so state counts each record exactly once. Needs
     * {@link #withStateDirectory} and RocksDB state (heap state cannot be checkpointed). Cost:
     * while a checkpoint is taken every shard pauses at its barrier for one RocksDB checkpoint
     * (a memtable flush and hard links), for every sink to deliver what it was given, and for
     * every {@link io.ringflow.TransactionalSink} to commit; see the benchmarks for figures. A
     * pipeline that ends cleanly (stopped, or out of input) takes a last checkpoint, so a
     * restart resumes exactly there.
     */
    public PipelineConfig withCheckpointing(java.time.Duration interval) {
        if (interval == null || interval.isNegative()) {
            throw new IllegalArgumentException("withCheckpointing needs an interval >= 0 (0: on demand only), got " + interval);
        }
        return with(s -> s.checkpointInterval = interval);
    }

    /** How many complete checkpoints to keep on disk (default 3); older ones are deleted. */
    public PipelineConfig withCheckpointsRetained(int retained) {
        if (retained < 1) {
            throw new IllegalArgumentException("keep at least one checkpoint, got " + retained);
        }
        return with(s -> s.checkpointsRetained = retained);
    }

    /**
     * Lets keyed state follow its partitions between the instances of one application (scale
     * out, scale in, fail over), as Kafka Streams' tasks do: every instance writes its
     * checkpoints to {@code directory/instanceId} on storage all instances can read (a shared
     * or network file system), and when a Kafka consumer group rebalance moves a partition,
     * the instance losing it checkpoints at once and deletes its state of it, and the instance
     * gaining it copies that partition's state from the newest checkpoint, of any instance,
     * that holds it, and resumes the partition from the offsets and the partition's watermark
     * recorded with it. An instance that stops stays in the group until its final checkpoint
     * is written and hands over from it; one that died is covered from its last checkpoint.
     *
     * <p>Needs {@link #withCheckpointing} and {@link #withStateDirectory} (each instance keeps
     * its live state locally). Keyed state is kept per source partition, so every topic read
     * by one keyed operator must be partitioned by the operator's key with the same number of
     * partitions (co-partitioned), as Kafka Streams requires; Ringflow has no repartition
     * topic. Every instance must run the same topology with the same parallelism.
     *
     * <p>Each partition keeps its own event time (Kafka Streams' stream time): its windows
     * close on the watermark of its own records, so they close the same wherever it runs, and
     * a partition that goes quiet keeps its last windows open until it sends again.
     *
     * <p>Cost: a move checkpoints the losing instance once (see checkpoint pauses), and the
     * gaining instance's shards stop while they import the moved partition's RocksDB files
     * (about 30 ms for a million small entries, whole files linked, not entries copied).
     * While partitions stay put, each shard forwards every partition's watermark once per
     * batch in which it advanced.
     *
     * @param instanceId names this instance among those sharing {@code directory}; unique
     *                   among running instances, and kept across restarts so an instance
     *                   resumes from its own checkpoints
     */
    public PipelineConfig withSharedCheckpoints(Path directory, String instanceId) {
        if (directory == null) {
            throw new IllegalArgumentException("withSharedCheckpoints needs a directory all instances can read");
        }
        if (instanceId == null || !instanceId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("withSharedCheckpoints needs an instance id of letters, digits, '.',"
                    + " '_' or '-' (it names the instance's checkpoint directory), got '" + instanceId + "'");
        }
        return with(s -> {
            s.sharedCheckpoints = directory;
            s.instanceId = instanceId;
        });
    }

    /**
     * How many checkpoints in a row may fail (a full disk, a RocksDB error, a transactional sink
     * that cannot commit is not among them: that fails the pipeline at once) before the
     * pipeline fails, like Flink's {@code tolerable-failed-checkpoints}; a completed checkpoint
     * resets the count. Default 3: one failure is often transient (a disk briefly full, a slow
     * shared file system), but while checkpoints fail nothing is committed (Kafka offsets, an
     * exactly-once sink's output), so the replay after a crash and the output held back grow
     * with every interval; three intervals bound that, and the failure then names the cause
     * instead of a log of ERROR lines nobody reads. 0 fails on the first failed checkpoint.
     */
    public PipelineConfig withTolerableCheckpointFailures(int failures) {
        if (failures < 0) {
            throw new IllegalArgumentException("tolerable checkpoint failures must be >= 0 (0: fail on the first), got "
                    + failures);
        }
        return with(s -> s.tolerableCheckpointFailures = failures);
    }

    public int tolerableCheckpointFailures() {
        return tolerableCheckpointFailures;
    }

    /**
     * Starts from empty state when the state directory holds checkpoints but none of them can
     * be restored (every one damaged), instead of refusing to start. By default such a pipeline
     * refuses, naming each checkpoint and what is wrong with it: its sources would resume at
     * positions committed with those checkpoints (a Kafka group's offsets) while the state they
     * counted is gone, so results would be silently wrong. Opt in only when that is acceptable,
     * or when the sources are reset too; the start then logs a warning naming the checkpoints.
     */
    public PipelineConfig withEmptyStateWhenCheckpointsAreUnusable() {
        return with(s -> s.emptyStateWhenCheckpointsUnusable = true);
    }

    public boolean emptyStateWhenCheckpointsAreUnusable() {
        return emptyStateWhenCheckpointsUnusable;
    }

    /** The directory shared by all instances' checkpoints, if state follows partitions between instances. */
    public Optional<Path> sharedCheckpoints() {
        return Optional.ofNullable(sharedCheckpoints);
    }

    /** This instance's name under {@link #sharedCheckpoints()}, or empty. */
    public Optional<String> instanceId() {
        return Optional.ofNullable(instanceId);
    }

    /** Where this pipeline's checkpoints go: its directory under the shared one, or the state directory's. */
    public Optional<Path> checkpointDirectory() {
        if (sharedCheckpoints != null) {
            return Optional.of(sharedCheckpoints.resolve(instanceId));
        }
        return stateDirectory().map(directory -> directory.resolve(CheckpointFormat.CHECKPOINTS_DIRECTORY));
    }

    /** The checkpoint interval, or empty when checkpointing is off. */
    public Optional<java.time.Duration> checkpointInterval() {
        return Optional.ofNullable(checkpointInterval);
    }

    public int checkpointsRetained() {
        return checkpointsRetained;
    }

    /** The registry set by {@link #withMeterRegistry}, or empty for a per-pipeline default. */
    public Optional<MeterRegistry> meterRegistry() {
        return Optional.ofNullable(meterRegistry);
    }

    /**
     * The state directory, or empty for the default: a new temporary directory per pipeline,
     * deleted when it closes.
     */
    public Optional<Path> stateDirectory() {
        return Optional.ofNullable(stateDirectory);
    }

    public boolean inMemoryState() {
        return inMemoryState;
    }

    public long stateMemoryBytes() {
        return stateMemoryBytes;
    }

    public int stateCacheEntries() {
        return stateCacheEntries;
    }

    public int parallelism() {
        return parallelism;
    }

    public int ringSize() {
        return ringSize;
    }

    public RingWaitStrategy waitStrategy() {
        return waitStrategy;
    }

    public ErrorHandler errorHandler() {
        return errorHandler;
    }

    /** Every setting, for logs and support questions. */
    @Override
    public String toString() {
        return "PipelineConfig{parallelism=" + parallelism + ", ringSize=" + ringSize + ", waitStrategy=" + waitStrategy
                + ", errorHandler=" + errorHandler
                + ", state=" + (inMemoryState ? "in-memory" : "rocksdb(" + (stateDirectory == null ? "temporary directory"
                : stateDirectory) + ", memory=" + stateMemoryBytes + " B, cache=" + stateCacheEntries + " entries)")
                + ", meterRegistry=" + (meterRegistry == null ? "per-pipeline SimpleMeterRegistry"
                : meterRegistry.getClass().getSimpleName())
                + ", checkpoints=" + (checkpointInterval == null ? "off" : "every " + checkpointInterval + ", "
                + checkpointsRetained + " retained, " + tolerableCheckpointFailures + " failures tolerated"
                + (emptyStateWhenCheckpointsUnusable ? ", empty state when none is usable" : "")
                + (sharedCheckpoints == null ? "" : ", shared in " + sharedCheckpoints + " as " + instanceId)) + '}';
    }
}
