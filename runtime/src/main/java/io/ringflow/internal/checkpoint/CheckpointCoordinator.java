package io.ringflow.internal.checkpoint;

import io.ringflow.RingflowException;
import io.ringflow.TransactionalSink;
import io.ringflow.internal.metrics.CheckpointMeters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts checkpoints (every interval, or on demand), one at a time, and completes them: once
 * every shard of every stage is paused at its barrier, it has RocksDB checkpoint each shard's
 * database, writes the manifest with every source reader's position, commits every
 * transactional sink, and drops checkpoints beyond the retained number. Only then is the
 * checkpoint {@linkplain #completed() completed} for sources, so input (Kafka offsets) is
 * never committed ahead of the output it produced.
 */
public final class CheckpointCoordinator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointCoordinator.class);

    private final String pipeline;
    private final CheckpointStorage storage;
    private final ShardSnapshots snapshots;
    private final int parallelism;
    private final TreeSet<String> stores;
    private final int retained;
    private final int shards;
    private final List<Committer> committers;
    private final BiConsumer<Throwable, String> failure;
    private final CheckpointMeters meters;
    private final int tolerableFailures;
    /** Between periodic checkpoints; zero: on demand only. */
    private final Duration interval;
    private final Object lock = new Object();
    /** Triggers periodic checkpoints from {@link #start} to {@link #close}; {@code null} outside that. */
    private ScheduledExecutorService scheduler;
    /** Once closed, {@link #start} starts nothing: a stop may come before the start. */
    private boolean closed;
    /**
     * Why no checkpoint may start any more ({@code null}: they may): a reader has ended. Its
     * shards have finished and pause for no barrier, so a checkpoint would wait for them forever,
     * and would hold every shard that did pause until the pipeline ends. The final checkpoint,
     * taken once every thread has ended, records where the ended readers stopped.
     */
    private String noMoreBecause;
    private long nextId;
    private volatile PendingCheckpoint pending;
    private volatile long requested;
    private volatile long completed;
    private volatile long lastPauseNanos;
    /** Checkpoints retention must keep beyond the newest few (the newest copy of a partition's state). */
    private volatile Supplier<Set<Path>> alsoRetained = Set::of;

    /** A transactional sink and the name of its node, for error messages. */
    public record Committer(String name, TransactionalSink<?> sink) {
    }

    /**
     * @param snapshots  writes the shards' databases into each checkpoint; {@code null} when the
     *                   topology keeps no keyed state
     * @param restoredId the id of the checkpoint the pipeline started from, or 0
     * @param lastId     the highest checkpoint id used before (restored, or committed by a sink):
     *                   new ids continue after it
     * @param committers the transactional sinks, committed with every checkpoint
     * @param failure    fails the pipeline (cause, where) when a sink cannot commit, or more than
     *                   {@code tolerableFailures} checkpoints in a row fail
     */
    public CheckpointCoordinator(String pipeline, CheckpointStorage storage, ShardSnapshots snapshots,
                                 int parallelism, TreeSet<String> stores, int retained, int shards, long restoredId,
                                 long lastId, List<Committer> committers,
                                 BiConsumer<Throwable, String> failure, Duration interval,
                                 CheckpointMeters meters, int tolerableFailures) {
        this.meters = meters;
        this.tolerableFailures = tolerableFailures;
        this.pipeline = pipeline;
        this.storage = storage;
        this.snapshots = snapshots == null ? new ShardSnapshots(null, shard -> "") : snapshots;
        this.parallelism = parallelism;
        this.stores = stores;
        this.retained = retained;
        this.shards = shards;
        this.nextId = Math.max(restoredId, lastId) + 1;
        this.completed = restoredId;
        this.committers = List.copyOf(committers);
        this.failure = failure;
        this.interval = interval;
    }

    /**
     * Starts triggering a checkpoint every interval, on a daemon thread named
     * {@code threadName}; nothing when checkpoints are on demand only, or after {@link #close}.
     * Until then no thread exists: a pipeline never started has none to release.
     */
    public void start(String threadName) {
        synchronized (lock) {
            if (closed || interval.isZero() || scheduler != null) {
                return;
            }
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, threadName);
                thread.setDaemon(true);
                return thread;
            });
            long millis = interval.toMillis();
            scheduler.scheduleWithFixedDelay(this::trigger, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Retention also keeps the checkpoints {@code needed} names, however old. */
    public void alsoRetain(Supplier<Set<Path>> needed) {
        this.alsoRetained = needed;
    }

    /**
     * Starts a checkpoint, or returns the id of the one in flight; returns 0 once a reader has
     * ended ({@link #readerEnded}), when no checkpoint can start before the final one.
     */
    public long trigger() {
        synchronized (lock) {
            PendingCheckpoint current = pending;
            if (current != null) {
                return current.id();
            }
            if (noMoreBecause != null) {
                return 0;
            }
            long id = nextId++;
            pending = new PendingCheckpoint(id, shards, this);
            requested = id;
            return id;
        }
    }

    /** The id of the barrier readers should place next; cheap (one volatile read). */
    public long requested() {
        return requested;
    }

    /** The checkpoint {@code id} if it is still in flight. */
    public PendingCheckpoint pending(long id) {
        PendingCheckpoint current = pending;
        return current != null && current.id() == id ? current : null;
    }

    public long completed() {
        return completed;
    }

    /** How long shards were paused for the last completed checkpoint, in nanoseconds. */
    public long lastPauseNanos() {
        return lastPauseNanos;
    }

    /**
     * Waits for checkpoint {@code id}.
     *
     * @throws RingflowException if it was given up, failed, or did not finish in time
     */
    public void await(long id, Duration timeout) throws InterruptedException {
        PendingCheckpoint current = pending(id);
        if (current == null) {
            if (completed >= id) {
                return;
            }
            throw new RingflowException("checkpoint " + id + " of pipeline '" + pipeline + "' did not complete");
        }
        if (!current.await(timeout.toNanos())) {
            throw new RingflowException("checkpoint " + id + " of pipeline '" + pipeline + "' did not complete within "
                    + timeout + ": a source reader may be blocked without calling its context (barriers are placed"
                    + " when a reader emits or asks isRunning())");
        }
        if (current.abortedBecause() != null) {
            throw new RingflowException("checkpoint " + id + " of pipeline '" + pipeline + "' was given up: "
                    + current.abortedBecause());
        }
        if (!current.succeeded()) {
            throw new RingflowException("checkpoint " + id + " of pipeline '" + pipeline + "' failed; see the log");
        }
    }

    /**
     * Source reader {@code reader} (as in "source 'in' reader 0") has ended: the checkpoint in
     * flight is given up and no other starts until the final one.
     */
    public void readerEnded(String reader) {
        synchronized (lock) {
            if (noMoreBecause == null) {
                noMoreBecause = reader + " ended, and its shards take no checkpoint before the pipeline's final one";
            }
        }
        abort(reader + " ended");
    }

    /** Why no checkpoint can start before the final one, or {@code null} when one can. */
    public String noMoreCheckpointsBecause() {
        synchronized (lock) {
            return noMoreBecause;
        }
    }

    /** Gives up the checkpoint in flight (a source ended, the pipeline failed or stopped). */
    public void abort(String reason) {
        synchronized (lock) {
            PendingCheckpoint current = pending;
            if (current != null) {
                pending = null;
                current.abort(reason);
            }
        }
    }

    /** Runs on the last shard to pause: every shard is at the cut, so the databases are consistent. */
    void complete(PendingCheckpoint checkpoint) {
        boolean success = false;
        try {
            long pauseNanos = checkpoint.pauseNanos();
            success = write(checkpoint.id(), checkpoint.positions(), checkpoint.triggeredNanos(), pauseNanos);
            if (success) {
                lastPauseNanos = pauseNanos;
                LOG.info("pipeline '{}': checkpoint {} complete, shards paused {} ms", pipeline, checkpoint.id(),
                        lastPauseNanos / 1_000_000.0);
            }
        } finally {
            synchronized (lock) {
                if (pending == checkpoint) {
                    pending = null;
                }
            }
            checkpoint.finish(success);
        }
    }

    /**
     * Takes the last checkpoint when the pipeline ends cleanly (sources stopped or ran out,
     * everything drained, stores written through): a restart starts from exactly here, and a
     * transactional sink's last output becomes visible. Call once every shard has ended and
     * before the databases close.
     *
     * @param positions every source reader's final position, given the checkpoint's id
     */
    public void completeAtEnd(LongFunction<Map<String, byte[]>> positions) {
        long id;
        synchronized (lock) {
            id = nextId++;
        }
        if (write(id, positions.apply(id), System.nanoTime(), 0)) {
            LOG.info("pipeline '{}': final checkpoint {} complete", pipeline, id);
        }
    }

    /**
     * Writes checkpoint {@code id}, commits the sinks, then lets sources commit their input.
     *
     * @param startedNanos the {@code nanoTime} it was triggered at (the final checkpoint's: now)
     */
    private boolean write(long id, Map<String, byte[]> positions, long startedNanos, long pauseNanos) {
        CheckpointStorage.Written written;
        try {
            written = storage.write(id, parallelism, stores, positions, snapshots::writeInto);
        } catch (Exception e) {
            long inARow = meters.failed();
            if (inARow > tolerableFailures) {
                failure.accept(e, "checkpoint " + id + ": " + inARow + " checkpoints in a row failed, more than the "
                        + tolerableFailures + " tolerated (PipelineConfig.withTolerableCheckpointFailures); the last"
                        + " failed with " + e);
            } else {
                LOG.error("pipeline '{}': checkpoint {} failed ({} in a row, {} tolerated); the previous one stays"
                        + " the latest", pipeline, id, inARow, tolerableFailures, e);
            }
            return false;
        }
        for (Committer committer : committers) {
            try {
                committer.sink().commit(id);
            } catch (Exception e) {
                // The sink's output since its last commit is gone; only a restart from the
                // checkpoint it did commit writes it again.
                failure.accept(e, "committing sink '" + committer.name() + "' with checkpoint " + id);
                return false;
            }
        }
        completed = id;
        meters.completed(System.nanoTime() - startedNanos, pauseNanos, written.bytes());
        try {
            storage.retain(retained, alsoRetained.get());
        } catch (Exception e) {
            LOG.warn("pipeline '{}': could not delete checkpoints older than the newest {}", pipeline, retained, e);
        }
        return true;
    }

    /** Stops triggering checkpoints for good and gives up the one in flight. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
        }
        abort("the pipeline ended");
    }
}
