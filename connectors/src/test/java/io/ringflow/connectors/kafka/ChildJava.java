package io.ringflow.connectors.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM that a test starts and may SIGKILL: this JVM's java and class
 * path, and a temporary directory under {@code target/}. RocksDB unpacks its native library into
 * {@code java.io.tmpdir} and deletes it on a normal exit only, so each killed child would leave a
 * copy of it (tens of MB) in the machine's {@code /tmp}.
 */
final class ChildJava {

    private static final Path TEMPORARY = Path.of("target", "child-tmp");

    private ChildJava() {
    }

    /** {@code java <options> -cp <this class path> <main> <args>}. */
    static List<String> command(List<String> options, String main, String... args) {
        try {
            Files.createDirectories(TEMPORARY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djava.io.tmpdir=" + TEMPORARY.toAbsolutePath());
        command.addAll(options);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main);
        command.addAll(List.of(args));
        return command;
    }
}
