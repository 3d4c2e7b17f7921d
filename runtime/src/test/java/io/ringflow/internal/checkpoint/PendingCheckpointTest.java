package io.ringflow.internal.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringflow.TransactionalSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PendingCheckpointTest {

    private static final int SHARDS = 4;
    private static final int ROUNDS = 100;

    @TempDir
    Path root;

    /**
     * A shard that returns from {@code shardReady} while the last one is still writing the
     * checkpoint would write state past the cut into it: the restored state would then hold
     * records the restored source positions read again. Shards arrive together, so they race to
     * be last in every round; the race that once let one resume early needs two arrivals within
     * nanoseconds, so this guards the pause contract rather than reproducing that race each run.
     */
    @Test
    void noShardResumesWhileTheCheckpointIsBeingWritten() throws Exception {
        AtomicInteger resumed = new AtomicInteger();
        AtomicInteger resumedDuringWrite = new AtomicInteger();
        TransactionalSink<Object> writeObserver = new TransactionalSink<>() {
            @Override
            public long recover() {
                return 0;
            }

            @Override
            public void commit(long checkpointId) throws Exception {
                // Part of writing the checkpoint: every other shard must still be paused here.
                Thread.sleep(1);
                resumedDuringWrite.addAndGet(resumed.get());
            }

            @Override
            public void write(Object value, long timestamp) {
            }
        };
        try (CheckpointCoordinator coordinator = new CheckpointCoordinator("test", new CheckpointStorage(root), null, 1,
                new TreeSet<>(), 2, SHARDS, 0, 0, List.of(new CheckpointCoordinator.Committer("observer", writeObserver)),
                (e, where) -> { }, Duration.ZERO,
                new io.ringflow.internal.metrics.PipelineMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                        "test").checkpoints(), 3)) {
            for (int round = 0; round < ROUNDS; round++) {
                resumed.set(0);
                PendingCheckpoint checkpoint = coordinator.pending(coordinator.trigger());
                CyclicBarrier together = new CyclicBarrier(SHARDS);
                List<Thread> shards = new ArrayList<>();
                for (int shard = 0; shard < SHARDS; shard++) {
                    Thread thread = new Thread(() -> {
                        try {
                            together.await();
                            checkpoint.shardReady(() -> false);
                            resumed.incrementAndGet();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    thread.start();
                    shards.add(thread);
                }
                for (Thread thread : shards) {
                    thread.join();
                }
                assertEquals(round + 1, coordinator.completed(), "round " + round + " completed its checkpoint");
            }
        }
        assertEquals(0, resumedDuringWrite.get(), "shards that resumed while the checkpoint was being written");
    }
}
