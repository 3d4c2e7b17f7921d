package io.ringflow.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** File handling shared by the reports that write a file. */
final class ReportFiles {

    private ReportFiles() {
    }

    /** Lets a report be written to a results directory that does not exist yet. */
    static void createParentDirectories(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }
}
