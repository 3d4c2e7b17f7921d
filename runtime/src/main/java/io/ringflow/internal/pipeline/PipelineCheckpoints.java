package io.ringflow.internal.pipeline;

import io.ringflow.PipelineConfig;
import io.ringflow.RingflowException;
import io.ringflow.internal.checkpoint.CheckpointCoordinator;
import io.ringflow.internal.checkpoint.CheckpointStorage;
import io.ringflow.internal.checkpoint.ShardSnapshots;
import io.ringflow.internal.handoff.PartitionHandoff;
import io.ringflow.internal.metrics.PipelineMetrics;
import io.ringflow.internal.pipeline.CheckpointRestore.Restored;
import io.ringflow.internal.plan.StagePlan;
import java.time.Duration;
import java.util.List;

/**
 * Checkpointing as the pipeline's life cycle sees it: what to do at each step (hand the readers
 * their positions, take one on demand, give up on a halt, take the final one at the end), and
 * nothing at all when checkpointing is off, so the life cycle never asks which it is.
 */
final class PipelineCheckpoints {

    private final String pipeline;
    /** {@code null} when checkpointing is off. */
    private final CheckpointCoordinator coordinator;
    private final RunState runState;

    private PipelineCheckpoints(String pipeline, CheckpointCoordinator coordinator, RunState runState) {
        this.pipeline = pipeline;
        this.coordinator = coordinator;
        this.runState = runState;
    }

    /** The coordinator of a pipeline with checkpointing on, continuing after {@code restored}; inert when off. */
    static PipelineCheckpoints of(String name, StagePlan plan, PipelineConfig config, PipelineState state,
                                  int shardsWithInput, Restored restored, PipelineSinks sinks, PipelineMetrics metrics,
                                  RunState runState) {
        if (config.checkpointInterval().isEmpty()) {
            return new PipelineCheckpoints(name, null, runState);
        }
        ShardSnapshots snapshots = new ShardSnapshots(state.rocksDb(), shard -> ThreadNames.checkpointHelper(name, shard));
        CheckpointCoordinator coordinator = new CheckpointCoordinator(name,
                new CheckpointStorage(config.checkpointDirectory().orElseThrow()), snapshots, config.parallelism(),
                PipelineState.storeNames(plan), config.checkpointsRetained(), shardsWithInput, restored.id(),
                restored.committed(), sinks.committers(), runState::fail, config.checkpointInterval().get(),
                metrics.checkpoints(), config.tolerableCheckpointFailures());
        return new PipelineCheckpoints(name, coordinator, runState);
    }

    /**
     * Gives each reader the checkpoints, the position it recorded in {@code restored} and, with
     * shared checkpoints, the hand-off that moves partitions' state between instances.
     */
    void handTo(List<SourceReaderTask> readers, Restored restored, PipelineConfig config, int shardSlots) {
        PartitionHandoff handoff = config.sharedCheckpoints().isEmpty() ? null
                : new PartitionHandoff(pipeline, config.sharedCheckpoints().get(), restored.checkpoint(), shardSlots);
        if (handoff != null) {
            coordinator.alsoRetain(handoff::newestCopies);
        }
        for (SourceReaderTask reader : readers) {
            reader.checkpoints(coordinator, restored.position(reader.sourceName(), reader.reader()), handoff);
        }
    }

    /** Starts the periodic checkpoints' scheduler thread, named {@code threadName}, if they are periodic. */
    void start(String threadName) {
        if (coordinator != null) {
            coordinator.start(threadName);
        }
    }

    /**
     * Takes a checkpoint now and waits for it.
     *
     * @return its id
     * @throws RingflowException if checkpointing is off, or the checkpoint was given up, failed
     *         or took longer than {@code timeout}
     */
    long takeNow(Duration timeout) throws InterruptedException {
        if (coordinator == null) {
            throw new RingflowException("pipeline '" + pipeline + "' has checkpointing off; turn it on with"
                    + " PipelineConfig.withCheckpointing(interval) (Duration.ZERO: on demand only)");
        }
        long id = coordinator.trigger();
        if (id == 0) {
            throw new RingflowException("pipeline '" + pipeline + "' takes no checkpoint now: "
                    + coordinator.noMoreCheckpointsBecause() + " (when every reader has ended or the pipeline"
                    + " stops, the final checkpoint records where each one stopped)");
        }
        try {
            coordinator.await(id, timeout);
        } catch (RingflowException e) {
            coordinator.abort("it took longer than " + timeout);
            throw e;
        }
        return id;
    }

    /** A stop: no checkpoint starts any more, the one in flight is given up; the final one follows the drain. */
    void stop() {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    /** A halt: the checkpoint in flight is given up, its shards unpaused. */
    void abort() {
        if (coordinator != null) {
            coordinator.abort("the pipeline failed or was halted");
        }
    }

    /** On the pipeline's last thread, once every shard has ended and before the databases close. */
    void takeFinal(List<SourceReaderTask> readers, List<ShardHandler> handlers) {
        if (coordinator != null) {
            new FinalCheckpoint(coordinator, readers, handlers, runState).take();
        }
    }

    /** The id of the last completed checkpoint (0: none). */
    long completed() {
        return coordinator == null ? 0 : coordinator.completed();
    }

    /** How long the last completed checkpoint paused the shards, in nanoseconds. */
    long lastPauseNanos() {
        return coordinator == null ? 0 : coordinator.lastPauseNanos();
    }
}
