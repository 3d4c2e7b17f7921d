package io.ringflow.state.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Copies and deletes of RocksDB database directories, as restores and partition imports make
 * them; the runtime deletes checkpoints and temporary state directories with it too. Public only
 * because the RocksDB backend and the runtime are in other packages; not an API.
 */
public final class CheckpointFiles {

    private CheckpointFiles() {
    }

    /**
     * Makes {@code target} a copy of the database directory {@code source} (flat, as RocksDB
     * checkpoints are): SST files, which RocksDB never changes, are hard-linked, or copied when
     * {@code source} lies on another file system (a shared checkpoint directory); MANIFEST,
     * OPTIONS and the rest are copied, as RocksDB writes to them when it opens the copy.
     */
    public static void linkOrCopy(Path source, Path target) throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(file.getFileName());
                if (file.getFileName().toString().endsWith(".sst")) {
                    try {
                        Files.createLink(copy, file);
                        continue;
                    } catch (IOException | UnsupportedOperationException otherFileSystem) {
                        // copied below
                    }
                }
                Files.copy(file, copy);
            }
        }
    }

    /** Deletes {@code path} and everything below it; nothing if it does not exist. */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
