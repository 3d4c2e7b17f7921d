package io.ringflow.internal.pipeline;

import io.ringflow.state.StateException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** The state directory of a pipeline that was given none: created at start, deleted at the end. */
final class TemporaryDirectory {

    private TemporaryDirectory() {
    }

    static Path create(String topology) {
        try {
            return Files.createTempDirectory("ringflow-" + topology.replaceAll("[^A-Za-z0-9._-]", "_") + "-");
        } catch (IOException e) {
            throw new StateException("cannot create a temporary state directory in " + System.getProperty("java.io.tmpdir")
                    + ": " + e + "; set one with PipelineConfig.withStateDirectory(...)", e);
        }
    }

    static void delete(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
