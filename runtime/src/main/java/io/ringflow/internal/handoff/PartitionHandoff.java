package io.ringflow.internal.handoff;

import io.ringflow.PartitionHandover.PartitionProgress;
import io.ringflow.internal.checkpoint.CheckpointStorage;
import io.ringflow.internal.checkpoint.CheckpointedWatermarks;
import io.ringflow.state.internal.CheckpointFormat;
import io.ringflow.watermark.Watermarks;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which keyed state partitions live on this instance, and where a partition that moves here
 * takes its state from: the newest copy among every instance's checkpoints in the shared
 * checkpoint directory, "newest" meaning the one whose recorded source position got furthest
 * in the partition. Every checkpoint pairs a partition's state with the position it was taken
 * at, so whichever copy is chosen, resuming the partition from its position counts each
 * record once in state.
 *
 * <p>Called by source reader threads on rebalances (rare), and by the checkpoint coordinator
 * for retention; synchronized.
 */
public final class PartitionHandoff {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionHandoff.class);

    private final String pipeline;
    private final Path shared;
    private final Path restoredDirectory;
    private final Map<String, byte[]> restoredPositions;
    private final int shardSlots;
    /** Partitions whose live state is here: assigned to one of this instance's readers. */
    private final Set<Integer> live = new HashSet<>();
    /** Partitions whose state the restored checkpoint put here and nothing has touched since. */
    private Set<Integer> untouchedRestored;
    private long version;
    private final Map<String, PartitionProgress> progress = new ConcurrentHashMap<>();

    /** What {@link #acquire} found: positions to resume from, and the change to send through the rings. */
    public record Acquired(Map<Integer, byte[]> positions, PartitionChange change) {
    }

    /** The newest copy of one partition's state: its checkpoint and the position recorded with it. */
    private record Copy(CheckpointStorage.Checkpoint checkpoint, byte[] position, long progress) {
    }

    /**
     * @param restored   the checkpoint the pipeline restored at start, or {@code null}
     * @param shardSlots how many shards the pipeline has over all its stages
     */
    public PartitionHandoff(String pipeline, Path shared, CheckpointStorage.Checkpoint restored, int shardSlots) {
        this.pipeline = pipeline;
        this.shared = normal(shared);
        this.restoredDirectory = restored == null ? null : normal(restored.directory());
        this.restoredPositions = restored == null ? Map.of() : restored.positions();
        this.shardSlots = shardSlots;
    }

    /**
     * Source {@code source}'s reader gains {@code partitions}: finds each one's newest copy and
     * returns the positions to resume from and the change that loads the copies (and, the first
     * time, drops restored partitions no reader here owns), or a {@code null} change if nothing
     * needs loading.
     */
    public synchronized Acquired acquire(String source, int[] partitions, PartitionProgress sourceProgress) {
        progress.put(source, sourceProgress);
        List<CheckpointStorage.Checkpoint> all = everyCheckpoint();
        if (untouchedRestored == null) {
            untouchedRestored = new HashSet<>();
            for (byte[] position : positionsOf(source, restoredPositions)) {
                untouchedRestored.addAll(sourceProgress.of(position).keySet());
            }
        }
        Gains gains = new Gains();
        Set<Integer> assigned = new TreeSet<>();
        for (int partition : partitions) {
            assigned.add(partition);
            if (live.add(partition)) { // else it never left
                gain(source, partition, newestCopy(source, partition, sourceProgress, all), gains);
            }
        }
        // Restored partitions now read elsewhere: their windows must not close here too.
        List<Integer> dropped = new ArrayList<>();
        for (int partition : untouchedRestored) {
            if (!assigned.contains(partition) && !live.contains(partition)) {
                dropped.add(partition);
            }
        }
        untouchedRestored.removeAll(dropped);
        if (gains.adopted.isEmpty() && dropped.isEmpty() && gains.timed.isEmpty()) {
            return new Acquired(gains.positions, null);
        }
        return new Acquired(gains.positions, new PartitionChange(++version, toArray(dropped), toArray(gains.adopted),
                gains.adoptedFrom.toArray(new Path[0]), toArray(gains.timed),
                gains.timedWatermarks.stream().mapToLong(Long::longValue).toArray(), shardSlots));
    }

    /** What {@link #acquire} gathers over the partitions a reader gains. */
    private static final class Gains {
        final Map<Integer, byte[]> positions = new HashMap<>();
        final List<Integer> adopted = new ArrayList<>();
        final List<Path> adoptedFrom = new ArrayList<>();
        final List<Integer> timed = new ArrayList<>();
        final List<Long> timedWatermarks = new ArrayList<>();
    }

    /**
     * Partition {@code partition} comes to this instance with {@code best} its newest copy
     * ({@code null}: none): it keeps the restored state if that is the copy, else it adopts the
     * copy (or starts empty), and resumes at the event time the copy recorded.
     */
    private void gain(String source, int partition, Copy best, Gains gains) {
        boolean local = best != null && untouchedRestored.remove(partition)
                && normal(best.checkpoint().directory()).equals(restoredDirectory);
        long watermark = best == null ? Watermarks.NONE
                : CheckpointedWatermarks.of(best.checkpoint().positions(), source, partition);
        if (best != null) {
            gains.positions.put(partition, best.position());
        }
        if (watermark != Watermarks.NONE) {
            gains.timed.add(partition);
            gains.timedWatermarks.add(watermark);
        }
        if (local) {
            LOG.info("pipeline '{}': partition {} keeps the state restored from {}{}", pipeline, partition,
                    restoredDirectory, atEventTime(watermark));
            return;
        }
        untouchedRestored.remove(partition);
        gains.adopted.add(partition);
        gains.adoptedFrom.add(best == null ? null : best.checkpoint().directory());
        if (best == null) {
            LOG.info("pipeline '{}': partition {} moves here; no checkpoint holds its state, it starts empty",
                    pipeline, partition);
        } else {
            LOG.info("pipeline '{}': partition {} moves here with its state from checkpoint {}{}", pipeline,
                    partition, best.checkpoint().directory(), atEventTime(watermark));
        }
    }

    /** A reader no longer reads {@code partitions}: the change that deletes their state here. */
    public synchronized PartitionChange release(int[] partitions) {
        for (int partition : partitions) {
            live.remove(partition);
            if (untouchedRestored != null) {
                untouchedRestored.remove(partition);
            }
        }
        LOG.info("pipeline '{}': partitions {} leave this instance", pipeline, Arrays.toString(partitions));
        return new PartitionChange(++version, partitions, new int[0], new Path[0], new int[0], new long[0],
                shardSlots);
    }

    /**
     * The checkpoints (of any instance) holding the newest copy of some partition's state:
     * retention keeps them, however old, until a newer copy exists, so a partition's state is
     * never deleted before its next owner has checkpointed it.
     */
    public synchronized Set<Path> newestCopies() {
        Set<Path> needed = new HashSet<>();
        List<CheckpointStorage.Checkpoint> all = everyCheckpoint();
        if (progress.isEmpty()) {
            // No reader has been assigned partitions yet, so positions cannot be read: the
            // checkpoints this instance takes meanwhile hold no partition, and deleting older
            // ones as they come would delete the only copy of a partition's state.
            all.forEach(checkpoint -> needed.add(normal(checkpoint.directory())));
            return needed;
        }
        for (Map.Entry<String, PartitionProgress> source : progress.entrySet()) {
            Map<Integer, Copy> best = new HashMap<>();
            for (CheckpointStorage.Checkpoint checkpoint : all) {
                for (byte[] position : positionsOf(source.getKey(), checkpoint.positions())) {
                    source.getValue().of(position).forEach((partition, reached) -> {
                        Copy copy = new Copy(checkpoint, position, reached);
                        best.merge(partition, copy, (a, b) -> newer(a, b) ? a : b);
                    });
                }
            }
            best.values().forEach(copy -> needed.add(normal(copy.checkpoint().directory())));
        }
        return needed;
    }

    private Copy newestCopy(String source, int partition, PartitionProgress sourceProgress,
                            List<CheckpointStorage.Checkpoint> all) {
        Copy best = null;
        for (CheckpointStorage.Checkpoint checkpoint : all) {
            for (byte[] position : positionsOf(source, checkpoint.positions())) {
                Long reached = sourceProgress.of(position).get(partition);
                if (reached != null) {
                    Copy copy = new Copy(checkpoint, position, reached);
                    if (best == null || newer(copy, best)) {
                        best = copy;
                    }
                }
            }
        }
        return best;
    }

    /** Further in the partition wins; on a tie the restored checkpoint (already here), then the higher id. */
    private boolean newer(Copy a, Copy b) {
        if (a.progress() != b.progress()) {
            return a.progress() > b.progress();
        }
        boolean aRestored = normal(a.checkpoint().directory()).equals(restoredDirectory);
        boolean bRestored = normal(b.checkpoint().directory()).equals(restoredDirectory);
        if (aRestored != bRestored) {
            return aRestored;
        }
        if (a.checkpoint().id() != b.checkpoint().id()) {
            return a.checkpoint().id() > b.checkpoint().id();
        }
        return a.checkpoint().directory().toString().compareTo(b.checkpoint().directory().toString()) > 0;
    }

    private List<CheckpointStorage.Checkpoint> everyCheckpoint() {
        List<CheckpointStorage.Checkpoint> all = new ArrayList<>();
        for (CheckpointStorage instance : CheckpointStorage.instancesUnder(shared)) {
            all.addAll(instance.complete());
        }
        return all;
    }

    /** The positions source {@code source}'s readers recorded, keyed {@code source/reader}. */
    private static List<byte[]> positionsOf(String source, Map<String, byte[]> positions) {
        List<byte[]> found = new ArrayList<>();
        positions.forEach((reader, position) -> {
            if (CheckpointFormat.isReaderOf(reader, source) && position.length > 0) {
                found.add(position);
            }
        });
        return found;
    }

    private static String atEventTime(long watermark) {
        return watermark == Watermarks.NONE ? "" : ", at event time " + Instant.ofEpochMilli(watermark);
    }

    private static int[] toArray(List<Integer> partitions) {
        return partitions.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Path normal(Path path) {
        return path.toAbsolutePath().normalize();
    }
}
