package io.ringflow.internal.pipeline;

import io.ringflow.RingflowException;
import io.ringflow.internal.PipelineAbortedException;
import io.ringflow.internal.checkpoint.CheckpointCoordinator;
import io.ringflow.internal.checkpoint.PendingCheckpoint;
import io.ringflow.internal.metrics.ShardCounter;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A source reader's part in checkpoints: between two emits it places each requested
 * checkpoint's barrier behind what it emitted, with its position and its partitions'
 * watermarks; it keeps the position the restored checkpoint recorded; and before partitions
 * are handed over it takes a checkpoint of its own. Used on the reader's thread only.
 */
final class ReaderCheckpoints {

    private static final Logger LOG = LoggerFactory.getLogger(ReaderCheckpoints.class);
    private static final Duration HANDOFF_CHECKPOINT_TIMEOUT = Duration.ofSeconds(60);

    private final String source;
    private final int reader;
    private final int input;
    private final RingPublisher publisher;
    private final ShardCounter emitted;
    private final ReaderEventTime eventTime;
    /** Where the partitions' watermarks go among a checkpoint's positions. */
    private final String watermarksKey;
    /** {@code null} when checkpoints are off. */
    private CheckpointCoordinator coordinator;
    private LongFunction<byte[]> position;
    private byte[] restored;
    private boolean warnedNoPosition;
    /** The id of the last checkpoint barrier this reader placed. */
    private long barrierPlaced;

    ReaderCheckpoints(String source, int reader, int input, RingPublisher publisher, ShardCounter emitted,
                      ReaderEventTime eventTime, String watermarksKey) {
        this.source = source;
        this.reader = reader;
        this.input = input;
        this.publisher = publisher;
        this.emitted = emitted;
        this.eventTime = eventTime;
        this.watermarksKey = watermarksKey;
    }

    /** Before the reader starts: the coordinator ({@code null}: off) and the restored position ({@code null}: none). */
    void configure(CheckpointCoordinator coordinator, byte[] restoredPosition) {
        this.coordinator = coordinator;
        this.restored = restoredPosition;
        if (coordinator != null) {
            this.barrierPlaced = coordinator.requested();
        }
    }

    boolean enabled() {
        return coordinator != null;
    }

    /** The newest checkpoint complete on disk, 0 when none is or checkpoints are off. */
    long completed() {
        return coordinator == null ? 0 : coordinator.completed();
    }

    Optional<byte[]> restoredPosition() {
        return Optional.ofNullable(restored);
    }

    void positionFrom(LongFunction<byte[]> position) {
        this.position = position;
    }

    /** The reader's position once it has ended, for the pipeline's final checkpoint {@code id}. */
    byte[] finalPosition(long id) {
        return position == null ? new byte[0] : position.apply(id);
    }

    /** Between two emits: the place to put a requested checkpoint's barrier behind what was emitted. */
    void safePoint() {
        if (coordinator != null && coordinator.requested() > barrierPlaced) {
            placeBarrier();
        }
    }

    /** The reader has returned: a checkpoint waiting for its barrier would wait forever. */
    void readerEnded() {
        if (coordinator != null) {
            coordinator.readerEnded("source '" + source + "' reader " + reader);
        }
    }

    private void placeBarrier() {
        barrierPlaced = coordinator.requested();
        PendingCheckpoint checkpoint = coordinator.pending(barrierPlaced);
        if (checkpoint != null) {
            if (position == null && !warnedNoPosition && emitted.get() > 0) {
                warnedNoPosition = true;
                LOG.warn("source '{}' reader {} records no position in checkpoints: after a restore it reads its input"
                        + " from the start again, and restored state counts those records twice. Register one with"
                        + " SourceContext.positionForCheckpoints, or return false from Source.replayable()",
                        source, reader);
            }
            checkpoint.position(source, reader, position == null ? new byte[0] : position.apply(barrierPlaced));
            byte[] watermarks = eventTime.partitionWatermarks();
            if (watermarks != null) {
                checkpoint.position(watermarksKey, watermarks);
            }
            publisher.publishBarrier(input, checkpoint);
        }
    }

    /**
     * Takes a checkpoint whose barrier this reader places now, behind every record it emitted,
     * and waits for it. One already in flight whose barrier this reader placed earlier is
     * waited out first. A checkpoint that fails is logged: the partitions' next owner then
     * resumes from an older one, which is consistent too, only further back.
     */
    void checkpointBehindEverythingEmitted() {
        for (int attempt = 0; attempt < 3; attempt++) {
            long id = coordinator.trigger();
            if (id == 0) {
                LOG.warn("source '{}' reader {}: no checkpoint before handing partitions over ({}); their next owner"
                        + " resumes from an earlier one", source, reader, coordinator.noMoreCheckpointsBecause());
                return;
            }
            boolean placedNow = id > barrierPlaced;
            if (placedNow) {
                placeBarrier();
            }
            try {
                coordinator.await(id, HANDOFF_CHECKPOINT_TIMEOUT);
                if (placedNow) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PipelineAbortedException();
            } catch (RingflowException e) {
                if (placedNow) {
                    coordinator.abort("it took longer than " + HANDOFF_CHECKPOINT_TIMEOUT);
                    LOG.warn("source '{}' reader {}: no checkpoint before handing partitions over ({}); their next"
                            + " owner resumes from an earlier one", source, reader, e.getMessage());
                    return;
                }
            }
        }
    }
}
