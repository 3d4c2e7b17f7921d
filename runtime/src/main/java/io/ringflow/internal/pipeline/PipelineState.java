package io.ringflow.internal.pipeline;

import io.ringflow.PipelineConfig;
import io.ringflow.internal.graph.Node;
import io.ringflow.internal.graph.OperatorNode;
import io.ringflow.internal.plan.Stage;
import io.ringflow.internal.plan.StagePlan;
import io.ringflow.state.StateBackend;
import io.ringflow.state.internal.StateDirectoryLock;
import io.ringflow.state.memory.InMemoryStateBackend;
import io.ringflow.state.rocksdb.RocksDbStateBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the shards keep keyed state: RocksDB in the state directory (or in a temporary one
 * when none is given), or the heap when the topology keeps none or asks for it. Taken in two
 * steps because a restore sits between them: the directory is locked first, as the restore
 * deletes the live databases, and the databases are opened after it.
 */
final class PipelineState implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineState.class);

    private final String pipeline;
    /** This pipeline's hold on its state directory, until {@link #close()}; {@code null} without one. */
    private final StateDirectoryLock lock;
    private final StateBackend heap = new InMemoryStateBackend();
    /** Created for a pipeline that was given no state directory; {@code null} otherwise. */
    private Path temporaryDirectory;
    /** {@code null} until {@link #open}. */
    private StateBackend backend;

    /** Locks the configured state directory, if there is one. */
    PipelineState(String pipeline, PipelineConfig config) {
        this.pipeline = pipeline;
        this.lock = config.stateDirectory().map(StateDirectoryLock::acquire).orElse(null);
    }

    /** Whether any operator of the plan keeps keyed state. */
    static boolean needsState(StagePlan plan) {
        return !storeNames(plan).isEmpty();
    }

    /** Whether the plan's keyed state lives in RocksDB, and so in checkpoints. */
    static boolean usesRocksDb(StagePlan plan, PipelineConfig config) {
        return needsState(plan) && !config.inMemoryState();
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

    /** Opens the databases, once any restore has put the directory back to a checkpoint. */
    void open(StagePlan plan, PipelineConfig config) {
        if (!usesRocksDb(plan, config)) {
            backend = heap;
            return;
        }
        if (config.stateDirectory().isEmpty()) {
            temporaryDirectory = TemporaryDirectory.create(pipeline);
        }
        Path directory = config.stateDirectory().orElse(temporaryDirectory);
        backend = new RocksDbStateBackend(directory, config.parallelism(), config.stateMemoryBytes(),
                config.stateCacheEntries());
    }

    /** The backend for an operator's state: the heap when it asked for it ({@code Materialized.inMemory()}). */
    StateBackend backend(boolean inMemory) {
        return inMemory ? heap : backend;
    }

    /** The databases checkpoints capture, or {@code null} when state is on the heap. */
    RocksDbStateBackend rocksDb() {
        return backend instanceof RocksDbStateBackend rocks ? rocks : null;
    }

    /** Closes the databases (every shard has closed its stores), deletes a temporary directory, unlocks. */
    @Override
    public void close() {
        try {
            if (backend != null) {
                backend.close();
            }
        } finally {
            deleteTemporaryDirectory();
            if (lock != null) {
                lock.close();
            }
        }
    }

    private void deleteTemporaryDirectory() {
        if (temporaryDirectory != null) {
            try {
                TemporaryDirectory.delete(temporaryDirectory);
            } catch (IOException e) {
                LOG.warn("pipeline '{}': could not delete its temporary state directory {}", pipeline,
                        temporaryDirectory, e);
            }
        }
    }
}
