package io.ringflow.internal.pipeline;

import io.ringflow.PipelineConfig;
import io.ringflow.internal.checkpoint.CheckpointStorage;
import io.ringflow.internal.graph.Node;
import io.ringflow.internal.graph.OperatorNode;
import io.ringflow.internal.graph.SourceNode;
import io.ringflow.internal.plan.Stage;
import io.ringflow.internal.plan.StagePlan;
import io.ringflow.state.internal.CheckpointFormat;
import io.ringflow.state.rocksdb.CheckpointVerifier;
import io.ringflow.state.rocksdb.RocksDbStateBackend;
import java.nio.file.Path;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a pipeline with checkpointing does at construction, before any thread exists: refuses
 * what checkpoints cannot make exact (a source that cannot read again, heap state, a shared
 * directory with an exactly-once sink), chooses the newest checkpoint proven intact, refuses to
 * start when every one on disk is damaged, checks the chosen one belongs to this topology, and
 * puts the state directory back to it.
 */
final class CheckpointRestore {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointRestore.class);

    private CheckpointRestore() {
    }

    /** Refuses, with checkpointing on, a source that cannot read its input again. */
    static void refuseUnreplayableSources(String name, StagePlan plan) {
        for (SourceNode source : plan.sources()) {
            if (!source.source().replayable()) {
                throw new IllegalArgumentException("pipeline '" + name + "': source '" + source.name() + "' ("
                        + source.source().getClass().getSimpleName() + ") cannot read its input again, and"
                        + " checkpoints are on: after a restore, state would miss every record it read since the"
                        + " last checkpoint. Turn checkpointing off for it, or feed its input through a source that"
                        + " can resume (KafkaSource, FileSource)");
            }
        }
    }

    /**
     * Puts the state directory back to its latest complete checkpoint no newer than
     * {@code bound} (the last one every transactional sink committed), or to empty when there
     * is none: state written after a checkpoint, or without one, does not match what the
     * sources will replay. Checks the checkpoint belongs to this topology first.
     */
    static CheckpointStorage.Checkpoint restoreLatest(String name, StagePlan plan, PipelineConfig config, long bound) {
        if (config.stateDirectory().isEmpty()) {
            throw new IllegalArgumentException("pipeline '" + name + "': checkpoints need a state directory to live"
                    + " in; add PipelineConfig.withStateDirectory(path)");
        }
        if (config.inMemoryState() && PipelineRuntime.needsState(plan)) {
            throw new IllegalArgumentException("pipeline '" + name + "': checkpoints capture RocksDB state, and"
                    + " withInMemoryState() keeps state on the heap; drop one of the two");
        }
        for (Stage stage : plan.stages()) {
            for (Node node : stage.nodes()) {
                if (node instanceof OperatorNode op && op.stateful() && op.heapState()) {
                    throw new IllegalArgumentException("pipeline '" + name + "': operator '" + op.name() + "' keeps"
                            + " its state on the heap (Materialized.inMemory()), which checkpoints do not capture:"
                            + " after a restart it would start empty while its sources resume past what it counted;"
                            + " drop Materialized.inMemory(), or turn checkpointing off");
                }
            }
        }
        if (config.sharedCheckpoints().isPresent() && !PipelineRuntime.transactionalSinks(name, plan, config).isEmpty()) {
            throw new IllegalArgumentException("pipeline '" + name + "': exactly-once sinks and shared checkpoints"
                    + " (state following partitions between instances) cannot be combined yet: an instance taking a"
                    + " partition over cannot tell which of another instance's checkpoints its sink committed; use"
                    + " one of the two");
        }
        Path directory = config.stateDirectory().get();
        CheckpointStorage storage = new CheckpointStorage(config.checkpointDirectory().orElseThrow());
        boolean rocksDb = PipelineRuntime.needsState(plan) && !config.inMemoryState();
        CheckpointStorage.Selection selection = storage.restorable(bound, checkpoint -> {
            if (rocksDb) {
                CheckpointVerifier.verify(checkpoint.directory(), checkpoint.parallelism(), !checkpoint.stores().isEmpty());
            }
        });
        CheckpointStorage.Checkpoint latest = selection.chosen().orElse(null);
        if (latest == null && !selection.unusable().isEmpty()) {
            String tried = String.join("; ", selection.unusable());
            if (!config.emptyStateWhenCheckpointsAreUnusable()) {
                throw new io.ringflow.state.StateException("pipeline '" + name + "': no checkpoint in "
                        + storage.root() + " can be restored (" + tried + "). Starting with empty state while the"
                        + " sources resume where those checkpoints had them (a Kafka group's committed offsets) would"
                        + " silently lose what they counted. Either start over: a new state directory, and the"
                        + " sources reset to their beginning (for a Kafka group, kafka-consumer-groups.sh"
                        + " --reset-offsets --to-earliest); or accept the loss with"
                        + " PipelineConfig.withEmptyStateWhenCheckpointsAreUnusable()");
            }
            LOG.warn("pipeline '{}': no checkpoint in {} can be restored ({}); starting with empty state, as"
                    + " withEmptyStateWhenCheckpointsAreUnusable() allows", name, storage.root(), tried);
        }
        if (bound != Long.MAX_VALUE) {
            try {
                storage.discardNewerThan(latest == null ? 0 : latest.id());
            } catch (java.io.IOException e) {
                throw new io.ringflow.state.StateException("cannot delete uncommitted checkpoints in " + directory
                        + ": " + e, e);
            }
        }
        if (latest != null) {
            TreeSet<String> stores = PipelineRuntime.storeNames(plan);
            for (String store : latest.stores()) {
                if (!stores.contains(store)) {
                    throw new io.ringflow.state.StateException("state directory " + directory + " holds checkpoint "
                            + latest.id() + " of another topology: it has store '" + store + "', which this topology"
                            + " does not; use a new state directory, or restore the topology that wrote it");
                }
            }
            for (String store : stores) {
                if (!latest.stores().contains(store)) {
                    throw new io.ringflow.state.StateException("state directory " + directory + " holds checkpoint "
                            + latest.id() + " of another topology: this topology's store '" + store + "' is not in"
                            + " it; use a new state directory, or restore the topology that wrote it");
                }
            }
            if (latest.parallelism() != config.parallelism()) {
                throw new io.ringflow.state.StateException("checkpoint " + latest.id() + " in " + directory
                        + " was taken with parallelism " + latest.parallelism() + "; run with that parallelism");
            }
            LOG.info("pipeline '{}': restoring checkpoint {} from {}", name, latest.id(), latest.directory());
            if (bound != Long.MAX_VALUE && latest.id() < bound) {
                LOG.warn("pipeline '{}': the exactly-once sink committed the output of checkpoint {}, which cannot be"
                        + " restored; restoring the older checkpoint {} writes the output of the records between them"
                        + " again", name, bound, latest.id());
            }
        }
        if (rocksDb) {
            RocksDbStateBackend.restore(latest == null ? directory.resolve(CheckpointFormat.CHECKPOINTS_DIRECTORY).resolve("none")
                    : latest.directory(), directory, config.parallelism());
        }
        return latest;
    }
}
