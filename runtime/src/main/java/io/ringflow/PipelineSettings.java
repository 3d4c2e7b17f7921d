package io.ringflow;

import io.micrometer.core.instrument.MeterRegistry;
import io.ringflow.error.ErrorHandler;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Every setting of a {@link PipelineConfig} and its default, in one list, so a new setting is
 * added in one place (here and its copy line) rather than as a field, a constructor argument
 * and a copy in {@code PipelineConfig}. Its fields are written only by the one {@code with...}
 * call that made the copy, before the new config holds it; the config's {@code final}
 * reference to it then publishes them safely to every thread that reads the config.
 */
final class PipelineSettings {

    private static final int DEFAULT_RING_SIZE = 1024;
    private static final long DEFAULT_STATE_MEMORY = 64L << 20;
    private static final int DEFAULT_CACHE_ENTRIES = 100_000;
    private static final int DEFAULT_TOLERABLE_CHECKPOINT_FAILURES = 3;

    int parallelism = 1;
    int ringSize = DEFAULT_RING_SIZE;
    RingWaitStrategy waitStrategy = RingWaitStrategy.BLOCKING;
    boolean sourceChaining = true;
    ErrorHandler errorHandler = ErrorHandler.failPipeline();
    Path stateDirectory;
    boolean inMemoryState;
    long stateMemoryBytes = DEFAULT_STATE_MEMORY;
    int stateCacheEntries = DEFAULT_CACHE_ENTRIES;
    /** {@code null}: each pipeline gets its own SimpleMeterRegistry. */
    MeterRegistry meterRegistry;
    /** {@code null}: no checkpoints. */
    Duration checkpointInterval;
    int checkpointsRetained = 3;
    /** {@code null}: checkpoints stay in the state directory and state stays with its instance. */
    Path sharedCheckpoints;
    String instanceId;
    int tolerableCheckpointFailures = DEFAULT_TOLERABLE_CHECKPOINT_FAILURES;
    boolean emptyStateWhenCheckpointsUnusable;

    /** The defaults of {@link PipelineConfig#defaults()}. */
    PipelineSettings() {
    }

    /** The one copy path: every setting of {@code other}, to be changed before a new config holds it. */
    PipelineSettings(PipelineSettings other) {
        parallelism = other.parallelism;
        ringSize = other.ringSize;
        waitStrategy = other.waitStrategy;
        sourceChaining = other.sourceChaining;
        errorHandler = other.errorHandler;
        stateDirectory = other.stateDirectory;
        inMemoryState = other.inMemoryState;
        stateMemoryBytes = other.stateMemoryBytes;
        stateCacheEntries = other.stateCacheEntries;
        meterRegistry = other.meterRegistry;
        checkpointInterval = other.checkpointInterval;
        checkpointsRetained = other.checkpointsRetained;
        sharedCheckpoints = other.sharedCheckpoints;
        instanceId = other.instanceId;
        tolerableCheckpointFailures = other.tolerableCheckpointFailures;
        emptyStateWhenCheckpointsUnusable = other.emptyStateWhenCheckpointsUnusable;
    }
}
