package io.ringflow.internal.checkpoint;

import io.ringflow.state.internal.CheckpointFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A checkpoint in flight: its barrier travels behind every source reader's records; each
 * shard, once the barrier has come from all its inputs, writes its caches through, passes
 * the barrier on and waits here. The last shard to arrive has RocksDB checkpoint every
 * database, with every shard paused at the same cut, and releases them all.
 */
public final class PendingCheckpoint {

    private final long id;
    private final int shards;
    private final CheckpointCoordinator coordinator;
    private final AtomicInteger ready = new AtomicInteger();
    private final Map<String, byte[]> positions = new ConcurrentHashMap<>();
    private final CountDownLatch done = new CountDownLatch(1);
    /** Set by the last shard to arrive, or by abort: whichever comes first decides the outcome. */
    private final AtomicBoolean decided = new AtomicBoolean();
    private volatile boolean succeeded;
    private volatile String abortedBecause;
    private volatile long firstReadyNanos;
    private final long triggeredNanos = System.nanoTime();

    PendingCheckpoint(long id, int shards, CheckpointCoordinator coordinator) {
        this.id = id;
        this.shards = shards;
        this.coordinator = coordinator;
    }

    public long id() {
        return id;
    }

    /** Source {@code source}'s reader {@code reader} placed its barrier at {@code position}. */
    public void position(String source, int reader, byte[] position) {
        position(CheckpointFormat.readerKey(source, reader), position);
    }

    /** Records {@code value} under {@code key} among the checkpoint's positions (see {@link CheckpointedWatermarks}). */
    public void position(String key, byte[] value) {
        positions.put(key, value);
    }

    Map<String, byte[]> positions() {
        return positions;
    }

    /**
     * A shard is aligned and flushed. Blocks until the checkpoint is written or given up (or
     * {@code halted} turns true: the pipeline failed), so no shard writes state past the cut
     * while RocksDB copies it.
     */
    public void shardReady(BooleanSupplier halted) throws InterruptedException {
        if (abortedBecause != null) {
            return;
        }
        // Only this shard's own arrival number may decide whether it is last: re-reading the
        // counter let a shard that arrived earlier see the last one's arrival and resume while
        // the last one was still writing the checkpoint, taking state past the cut into it.
        int arrived = ready.incrementAndGet();
        if (arrived == 1) {
            firstReadyNanos = System.nanoTime();
        }
        if (arrived == shards) {
            if (decided.compareAndSet(false, true)) {
                coordinator.complete(this);
            }
            return;
        }
        while (!done.await(50, TimeUnit.MILLISECONDS)) {
            if (halted.getAsBoolean()) {
                return;
            }
        }
    }

    void finish(boolean success) {
        succeeded = success;
        done.countDown();
    }

    /**
     * Releases the paused shards unless the checkpoint is already being written: shards must
     * not move past the cut while RocksDB copies their databases, so a late abort waits for
     * nothing and changes nothing.
     */
    void abort(String reason) {
        if (decided.compareAndSet(false, true)) {
            abortedBecause = reason;
            done.countDown();
        }
    }

    boolean await(long timeoutNanos) throws InterruptedException {
        return done.await(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    boolean succeeded() {
        return succeeded;
    }

    public String abortedBecause() {
        return abortedBecause;
    }

    /** The {@code nanoTime} the checkpoint was triggered at. */
    long triggeredNanos() {
        return triggeredNanos;
    }

    /** How long the first shard to pause waited, in nanoseconds: the checkpoint's pause. */
    long pauseNanos() {
        return firstReadyNanos == 0 ? 0 : System.nanoTime() - firstReadyNanos;
    }
}
