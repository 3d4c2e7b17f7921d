package io.ringflow.internal.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringflow.internal.checkpoint.CheckpointStorage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which checkpoints hold the newest copy of a partition's state, and so must outlive retention. */
class PartitionHandoffTest {

    @TempDir
    Path shared;

    /** A position of source "in" reader 0: partition 2 read up to {@code offset}. */
    private static byte[] partitionTwoAt(long offset) {
        return ByteBuffer.allocate(12).putInt(2).putLong(offset).array();
    }

    private static Map<Integer, Long> progress(byte[] position) {
        ByteBuffer buffer = ByteBuffer.wrap(position);
        return position.length == 0 ? Map.of() : Map.of(buffer.getInt(), buffer.getLong());
    }

    private void write(CheckpointStorage storage, long id, byte[] position) throws Exception {
        storage.write(id, 1, new TreeSet<>(Set.of("counts")), Map.of("in/0", position), directory -> { });
    }

    private static Set<String> names(Set<Path> directories) {
        return directories.stream().map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void beforeTheFirstAssignmentEveryCheckpointIsKeptForItMayHoldTheOnlyCopyOfAPartition() throws Exception {
        CheckpointStorage a = new CheckpointStorage(shared.resolve("a"));
        write(a, 1, partitionTwoAt(300)); // the only copy of partition 2's state
        write(a, 2, new byte[0]);         // restarted, not assigned anything yet: no partition in it
        write(a, 3, new byte[0]);
        PartitionHandoff handoff = new PartitionHandoff("p", shared, null, 2);
        assertEquals(Set.of("chk-1", "chk-2", "chk-3"), names(handoff.newestCopies()),
                "retention would delete the only copy of partition 2's state before any reader was assigned it");
        handoff.acquire("in", new int[0], PartitionHandoffTest::progress);
        assertEquals(Set.of("chk-1"), names(handoff.newestCopies()));
    }
}
