package io.ringflow.internal.pipeline;

import io.ringflow.state.StateException;
import io.ringflow.state.internal.CheckpointFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
        CheckpointFiles.deleteRecursively(directory);
    }
}
