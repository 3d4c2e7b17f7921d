package io.ringflow;

import io.micrometer.core.instrument.MeterRegistry;
import io.ringflow.error.ErrorHandler;
import io.ringflow.state.internal.CheckpointFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

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

    private final PipelineSettings settings;

    private PipelineConfig(PipelineSettings settings) {
        this.settings = settings;
    }

    /** A new config with this one's settings and {@code change} applied; this one stays as it is. */
    private PipelineConfig with(Consumer<PipelineSettings> change) {
        PipelineSettings copy = new PipelineSettings(settings);
        change.accept(copy);
        return new PipelineConfig(copy);
    }

    /**
     * Parallelism 1, ring size 1024, {@link RingWaitStrategy#BLOCKING},
     * {@link ErrorHandler#failPipeline()}, keyed state in RocksDB in a new temporary directory
     * that is deleted when the pipeline closes (set {@link #withStateDirectory} to keep state
     * across restarts), a 64 MiB memory budget and a write-back cache of 100,000 entries per
     * store.
     */
    public static PipelineConfig defaults() {
        return new PipelineConfig(new PipelineSettings());
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

    /**
     * Whether a first-stage shard fed by exactly one source reader runs its chain (the operators
     * before the first {@code keyBy}) on that reader's thread, as Flink chains a source with its
     * first operators. On (the default), such a shard has no ring and no thread: a record
     * crosses no thread until its first {@code keyBy}, which saves a hand-off on every record
     * and a thread on the machine, and the reader's source is held up while the chain works
     * (it is its backpressure). Off, every first-stage shard has its own ring and thread, so a
     * source runs ahead of its chain by up to a ring of records. Shards fed by several readers,
     * and every later stage, always have a ring and a thread.
     */
    public PipelineConfig withSourceChaining(boolean sourceChaining) {
        return with(s -> s.sourceChaining = sourceChaining);
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
    public PipelineConfig withCheckpointing(Duration interval) {
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
        return settings.tolerableCheckpointFailures;
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
        return settings.emptyStateWhenCheckpointsUnusable;
    }

    /** The directory shared by all instances' checkpoints, if state follows partitions between instances. */
    public Optional<Path> sharedCheckpoints() {
        return Optional.ofNullable(settings.sharedCheckpoints);
    }

    /** This instance's name under {@link #sharedCheckpoints()}, or empty. */
    public Optional<String> instanceId() {
        return Optional.ofNullable(settings.instanceId);
    }

    /** Where this pipeline's checkpoints go: its directory under the shared one, or the state directory's. */
    public Optional<Path> checkpointDirectory() {
        if (settings.sharedCheckpoints != null) {
            return Optional.of(settings.sharedCheckpoints.resolve(settings.instanceId));
        }
        return stateDirectory().map(directory -> directory.resolve(CheckpointFormat.CHECKPOINTS_DIRECTORY));
    }

    /** The checkpoint interval, or empty when checkpointing is off. */
    public Optional<Duration> checkpointInterval() {
        return Optional.ofNullable(settings.checkpointInterval);
    }

    public int checkpointsRetained() {
        return settings.checkpointsRetained;
    }

    /** The registry set by {@link #withMeterRegistry}, or empty for a per-pipeline default. */
    public Optional<MeterRegistry> meterRegistry() {
        return Optional.ofNullable(settings.meterRegistry);
    }

    /**
     * The state directory, or empty for the default: a new temporary directory per pipeline,
     * deleted when it closes.
     */
    public Optional<Path> stateDirectory() {
        return Optional.ofNullable(settings.stateDirectory);
    }

    public boolean inMemoryState() {
        return settings.inMemoryState;
    }

    public long stateMemoryBytes() {
        return settings.stateMemoryBytes;
    }

    public int stateCacheEntries() {
        return settings.stateCacheEntries;
    }

    public int parallelism() {
        return settings.parallelism;
    }

    public int ringSize() {
        return settings.ringSize;
    }

    public RingWaitStrategy waitStrategy() {
        return settings.waitStrategy;
    }

    public ErrorHandler errorHandler() {
        return settings.errorHandler;
    }

    public boolean sourceChaining() {
        return settings.sourceChaining;
    }

    /** Every setting, for logs and support questions. */
    @Override
    public String toString() {
        PipelineSettings s = settings;
        return "PipelineConfig{parallelism=" + s.parallelism + ", ringSize=" + s.ringSize
                + ", waitStrategy=" + s.waitStrategy + ", sourceChaining=" + s.sourceChaining + ", errorHandler=" + s.errorHandler
                + ", state=" + describeState()
                + ", meterRegistry=" + (s.meterRegistry == null ? "per-pipeline SimpleMeterRegistry"
                        : s.meterRegistry.getClass().getSimpleName())
                + ", checkpoints=" + describeCheckpoints() + '}';
    }

    private String describeState() {
        PipelineSettings s = settings;
        if (s.inMemoryState) {
            return "in-memory";
        }
        return "rocksdb(" + (s.stateDirectory == null ? "temporary directory" : s.stateDirectory)
                + ", memory=" + s.stateMemoryBytes + " B, cache=" + s.stateCacheEntries + " entries)";
    }

    private String describeCheckpoints() {
        PipelineSettings s = settings;
        if (s.checkpointInterval == null) {
            return "off";
        }
        return "every " + s.checkpointInterval + ", " + s.checkpointsRetained + " retained, "
                + s.tolerableCheckpointFailures + " failures tolerated"
                + (s.emptyStateWhenCheckpointsUnusable ? ", empty state when none is usable" : "")
                + (s.sharedCheckpoints == null ? "" : ", shared in " + s.sharedCheckpoints + " as " + s.instanceId);
    }
}
