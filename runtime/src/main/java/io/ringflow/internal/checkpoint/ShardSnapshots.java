package io.ringflow.internal.checkpoint;

import io.ringflow.state.StateException;
import io.ringflow.state.rocksdb.RocksDbStateBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Writes every shard's database into a checkpoint side by side: the databases are independent
 * and a flush mostly waits on the disk, so flushing them together shortens the pause every
 * shard is waiting out. The calling thread takes the first shard, one short-lived helper thread
 * each of the others. The threads live here, in the runtime, not in the state module, which
 * starts none of its own.
 */
public final class ShardSnapshots {

    private final RocksDbStateBackend backend;
    private final IntFunction<String> helperName;

    /**
     * @param backend    the databases, or {@code null} when the topology keeps no keyed state
     *                   (a checkpoint then holds positions only)
     * @param helperName the name of the helper thread that writes shard {@code n}
     */
    public ShardSnapshots(RocksDbStateBackend backend, IntFunction<String> helperName) {
        this.backend = backend;
        this.helperName = helperName;
    }

    /** Writes a consistent copy of every shard's database under {@code target}; shards must not write meanwhile. */
    void writeInto(Path target) {
        if (backend == null) {
            return;
        }
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Thread> helpers = new ArrayList<>();
        for (int shard = 1; shard < backend.parallelism(); shard++) {
            int mine = shard;
            Thread helper = new Thread(() -> {
                try {
                    backend.checkpointShard(mine, target);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }, helperName.apply(shard));
            helper.start();
            helpers.add(helper);
        }
        try {
            backend.checkpointShard(0, target);
        } finally {
            joinAll(helpers, target);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private static void joinAll(List<Thread> helpers, Path target) {
        for (Thread helper : helpers) {
            try {
                helper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StateException("interrupted while checkpointing into " + target, e);
            }
        }
    }
}
