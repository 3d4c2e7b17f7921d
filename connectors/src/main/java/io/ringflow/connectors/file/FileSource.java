package io.ringflow.connectors.file;

import io.ringflow.Source;
import io.ringflow.SourceContext;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Every line of every file that appears in a directory, each file once, in file-name order,
 * like Spark's file source. Put files in place with an atomic move (write elsewhere, then
 * {@code mv}): a file is read as soon as it is seen, and one still being written would be
 * read half. Names starting with {@code .} or {@code _} are skipped (in-progress files).
 *
 * <pre>{@code builder.source("lines", FileSource.lines(Path.of("incoming")))}</pre>
 *
 * A line that is not valid UTF-8 goes to the pipeline's error handler, named by file and line
 * number, and reading goes on with the next line. Which files were
 * read is remembered for the life of the pipeline (checkpoints will make it survive restarts).
 */
public final class FileSource implements Source<String> {

    private final Path directory;
    private final Duration pollInterval;
    private final boolean existingOnly;

    private FileSource(Path directory, Duration pollInterval, boolean existingOnly) {
        this.directory = directory;
        this.pollInterval = pollInterval;
        this.existingOnly = existingOnly;
    }

    /** Watches {@code directory} until the pipeline stops, looking for new files every 100 ms. */
    public static FileSource lines(Path directory) {
        if (directory == null) {
            throw new IllegalArgumentException("a file source needs a directory");
        }
        return new FileSource(directory, Duration.ofMillis(100), false);
    }

    /** Looks for new files every {@code interval}. */
    public FileSource pollEvery(Duration interval) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive, got " + interval);
        }
        return new FileSource(directory, interval, existingOnly);
    }

    /** Reads the files there now, then ends: a bounded input. */
    public FileSource existingOnly() {
        return new FileSource(directory, pollInterval, true);
    }

    @Override
    public void run(SourceContext<String> context) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException("file source: " + directory.toAbsolutePath() + " is not a directory; create it,"
                    + " or point the source at the directory files are moved into");
        }
        Set<Path> read = new HashSet<>();
        while (context.isRunning()) {
            for (Path file : newFiles(read)) {
                readLines(file, context);
                read.add(file);
            }
            if (existingOnly) {
                return;
            }
            LockSupport.parkNanos(pollInterval.toNanos());
        }
    }

    private List<Path> newFiles(Set<Path> read) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith(".") && !f.getFileName().toString().startsWith("_"))
                    .filter(f -> !read.contains(f))
                    .sorted()
                    .toList();
        }
    }

    /**
     * Splits the file into lines as bytes and decodes each on its own, so one bad line costs
     * only itself: it goes to the error handler and reading goes on.
     */
    private static void readLines(Path file, SourceContext<String> context) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        long lineNumber = 0;
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            int b;
            boolean pending = false;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    emitLine(file, ++lineNumber, line, decoder, context);
                    pending = false;
                } else {
                    line.write(b);
                    pending = true;
                }
            }
            if (pending) {
                emitLine(file, ++lineNumber, line, decoder, context);
            }
        }
    }

    private static void emitLine(Path file, long lineNumber, ByteArrayOutputStream line, CharsetDecoder decoder,
                                 SourceContext<String> context) {
        byte[] bytes = line.toByteArray();
        line.reset();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        try {
            context.emit(decoder.decode(ByteBuffer.wrap(bytes, 0, length)).toString());
        } catch (CharacterCodingException e) {
            context.reportError(file + ":" + lineNumber, new IOException("file " + file + " is not valid UTF-8"
                    + " at line " + lineNumber + " (" + e + "); write files as UTF-8", e));
        }
    }
}
