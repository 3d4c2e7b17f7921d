package io.ringflow.internal.pipeline;

import io.ringflow.PipelineConfig;
import io.ringflow.internal.checkpoint.CheckpointStorage;
import io.ringflow.internal.plan.StagePlan;
import io.ringflow.state.StateException;
import io.ringflow.state.internal.CheckpointFormat;
import io.ringflow.state.internal.CheckpointVerifier;
import io.ringflow.state.rocksdb.RocksDbStateBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a pipeline with checkpointing does at construction, before any thread exists: has its
 * exactly-once sinks recover, chooses the newest checkpoint proven intact that they allow,
 * refuses to start when every one on disk is damaged, checks the chosen one belongs to this
 * topology, and puts the state directory back to it. The configuration was checked before
 * ({@link PipelineChecks}) and the state directory is locked.
 */
final class CheckpointRestore {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointRestore.class);

    /**
     * Where a pipeline starts from.
     *
     * @param checkpoint the checkpoint restored, or {@code null} when state starts empty
     * @param committed  the highest checkpoint id an exactly-once sink committed (0: none);
     *                   new checkpoint ids continue after it
     */
    record Restored(CheckpointStorage.Checkpoint checkpoint, long committed) {
        static final Restored NOTHING = new Restored(null, 0);

        /** The id of the restored checkpoint, 0 when there is none. */
        long id() {
            return checkpoint == null ? 0 : checkpoint.id();
        }

        /** The position reader {@code reader} of {@code source} recorded in it, or {@code null}. */
        byte[] position(String source, int reader) {
            return checkpoint == null ? null : checkpoint.position(source, reader).orElse(null);
        }
    }

    private CheckpointRestore() {
    }

    /** Restores the newest checkpoint the sinks allow; nothing when checkpointing is off. */
    static Restored restore(String name, StagePlan plan, PipelineConfig config, PipelineSinks sinks) {
        if (config.checkpointInterval().isEmpty()) {
            return Restored.NOTHING;
        }
        PipelineSinks.Recovery recovery = sinks.recover();
        return new Restored(restoreLatest(name, plan, config, recovery.bound()), recovery.committed());
    }

    /**
     * Puts the state directory back to its latest complete checkpoint no newer than
     * {@code bound} (the last one every transactional sink committed), or to empty when there
     * is none: state written after a checkpoint, or without one, does not match what the
     * sources will replay. Checks the checkpoint belongs to this topology first.
     */
    private static CheckpointStorage.Checkpoint restoreLatest(String name, StagePlan plan, PipelineConfig config,
                                                              long bound) {
        Path directory = config.stateDirectory().orElseThrow();
        CheckpointStorage storage = new CheckpointStorage(config.checkpointDirectory().orElseThrow());
        boolean rocksDb = PipelineState.usesRocksDb(plan, config);
        CheckpointStorage.Checkpoint latest = choose(name, storage, bound, rocksDb, config);
        if (bound != Long.MAX_VALUE) {
            discardNewerThan(storage, latest, directory);
        }
        if (latest != null) {
            checkBelongs(latest, plan, config, directory);
            LOG.info("pipeline '{}': restoring checkpoint {} from {}", name, latest.id(), latest.directory());
            if (bound != Long.MAX_VALUE && latest.id() < bound) {
                LOG.warn("pipeline '{}': the exactly-once sink committed the output of checkpoint {}, which cannot be"
                        + " restored; restoring the older checkpoint {} writes the output of the records between them"
                        + " again", name, bound, latest.id());
            }
        }
        if (rocksDb) {
            RocksDbStateBackend.restore(latest == null
                    ? directory.resolve(CheckpointFormat.CHECKPOINTS_DIRECTORY).resolve("none")
                    : latest.directory(), directory, config.parallelism());
        }
        return latest;
    }

    /**
     * The newest checkpoint no newer than {@code bound} whose files are intact, or {@code null}.
     * When there are checkpoints but none is intact, refuses to start unless the configuration
     * accepts empty state.
     */
    private static CheckpointStorage.Checkpoint choose(String name, CheckpointStorage storage, long bound,
                                                       boolean rocksDb, PipelineConfig config) {
        CheckpointStorage.Selection selection = storage.restorable(bound, checkpoint -> {
            if (rocksDb) {
                CheckpointVerifier.verify(checkpoint.directory(), checkpoint.parallelism(), !checkpoint.stores().isEmpty());
            }
        });
        CheckpointStorage.Checkpoint latest = selection.chosen().orElse(null);
        if (latest == null && !selection.unusable().isEmpty()) {
            String tried = String.join("; ", selection.unusable());
            if (!config.emptyStateWhenCheckpointsAreUnusable()) {
                throw new StateException("pipeline '" + name + "': no checkpoint in " + storage.root()
                        + " can be restored (" + tried + "). Starting with empty state while the sources resume"
                        + " where those checkpoints had them (a Kafka group's committed offsets) would silently lose"
                        + " what they counted. Either start over: a new state directory, and the sources reset to"
                        + " their beginning (for a Kafka group, kafka-consumer-groups.sh --reset-offsets"
                        + " --to-earliest); or accept the loss with"
                        + " PipelineConfig.withEmptyStateWhenCheckpointsAreUnusable()");
            }
            LOG.warn("pipeline '{}': no checkpoint in {} can be restored ({}); starting with empty state, as"
                    + " withEmptyStateWhenCheckpointsAreUnusable() allows", name, storage.root(), tried);
        }
        return latest;
    }

    /** Checkpoints newer than the one restored hold state whose output no sink committed. */
    private static void discardNewerThan(CheckpointStorage storage, CheckpointStorage.Checkpoint latest,
                                         Path directory) {
        try {
            storage.discardNewerThan(latest == null ? 0 : latest.id());
        } catch (IOException e) {
            throw new StateException("cannot delete uncommitted checkpoints in " + directory + ": " + e, e);
        }
    }

    /** Refuses a checkpoint of another topology (other stores) or of another parallelism. */
    private static void checkBelongs(CheckpointStorage.Checkpoint latest, StagePlan plan, PipelineConfig config,
                                     Path directory) {
        TreeSet<String> stores = PipelineState.storeNames(plan);
        for (String store : latest.stores()) {
            if (!stores.contains(store)) {
                throw new StateException("state directory " + directory + " holds checkpoint " + latest.id()
                        + " of another topology: it has store '" + store + "', which this topology does not; use a"
                        + " new state directory, or restore the topology that wrote it");
            }
        }
        for (String store : stores) {
            if (!latest.stores().contains(store)) {
                throw new StateException("state directory " + directory + " holds checkpoint " + latest.id()
                        + " of another topology: this topology's store '" + store + "' is not in it; use a new"
                        + " state directory, or restore the topology that wrote it");
            }
        }
        if (latest.parallelism() != config.parallelism()) {
            throw new StateException("checkpoint " + latest.id() + " in " + directory + " was taken with parallelism "
                    + latest.parallelism() + "; run with that parallelism");
        }
    }
}
