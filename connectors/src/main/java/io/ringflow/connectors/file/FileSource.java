package io.ringflow.connectors.file;

import io.ringflow.Source;
import io.ringflow.SourceContext;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every line of every file that appears in a directory, each file once, in file-name order,
 * like Spark's file source. Put files in place with an atomic move (write elsewhere, then
 * {@code mv}): a file is read as soon as it is seen, and one still being written would be
 * read half. Names starting with {@code .} or {@code _} are skipped (in-progress files).
 *
 * <pre>{@code builder.source("lines", FileSource.lines(Path.of("incoming")))}</pre>
 *
 * A line that is not valid UTF-8 goes to the pipeline's error handler, named by file and line
 * number, and reading goes on with the next line.
 *
 * <h2>Restarts</h2>
 * Without checkpoints, which files were read is remembered for the life of the pipeline only:
 * a new pipeline reads every file again. With checkpoints on, every checkpoint records the
 * names of the files read to the end and, for the file being read, the byte offset and number
 * of its next line; a pipeline restored from it finishes that file from the offset, then reads
 * only files whose names it has not read, however they sort (a file moved in later under an
 * earlier name is read too, as in Spark's log of seen files). So each line is emitted once
 * across a clean stop, a crash or a restart with nothing new; a line that went to the error
 * handler counts as read and is not reported again. This holds while files stay as they were
 * moved in: a file that is rewritten under a name already read is not read again, one that is
 * now shorter than the recorded offset fails the restart, and one that is gone is skipped with
 * a warning.
 *
 * <p>Cost: the set of names grows by one per file and is never pruned: it is held in memory
 * (with or without checkpoints), and with checkpoints each one writes it whole (the name's
 * length plus 2 bytes per file; a million files of 20-character names make 22 MB per
 * checkpoint), and a restore reads it back whole. That suits thousands to hundreds of
 * thousands of files; for an endless stream of many small files, a Kafka topic keeps its
 * position in constant space. Without checkpoints reading costs nothing extra.
 */
public final class FileSource implements Source<String> {

    private static final Logger LOG = LoggerFactory.getLogger(FileSource.class);

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
        Progress progress = null;
        if (context.checkpointing()) {
            progress = context.restoredPosition().map(this::restored).orElseGet(Progress::new);
            context.positionForCheckpoints(progress::encode);
            if (progress.current != null && !resume(progress, context)) {
                return;
            }
        }
        Set<String> read = progress != null ? progress.done : new HashSet<>();
        while (context.isRunning()) {
            for (Path file : newFiles(read)) {
                String name = file.getFileName().toString();
                if (progress != null) {
                    progress.startFile(name);
                }
                if (!readLines(file, 0, 0, context, progress)) {
                    return; // stopped part-way: a checkpoint holds where
                }
                read.add(name);
                if (progress != null) {
                    progress.current = null;
                }
            }
            if (existingOnly) {
                return;
            }
            LockSupport.parkNanos(pollInterval.toNanos());
        }
    }

    /** Reads the rest of the file the restored checkpoint was in the middle of; false if stopped first. */
    private boolean resume(Progress progress, SourceContext<String> context) throws IOException {
        Path file = directory.resolve(progress.current);
        if (!Files.isRegularFile(file)) {
            LOG.warn("file source on {}: {}, which the restored checkpoint had read up to byte {}, is gone; its other"
                    + " lines are not read", directory, file, progress.offset);
        } else {
            long size = Files.size(file);
            if (size < progress.offset) {
                throw new IOException("file source: " + file + " has " + size + " bytes, but the restored checkpoint"
                        + " had read it up to byte " + progress.offset + ": the file changed after it was moved in;"
                        + " put the original back, or remove the file to go on without its other lines");
            }
            if (!readLines(file, progress.offset, progress.lines, context, progress)) {
                return false;
            }
        }
        progress.done.add(progress.current);
        progress.current = null;
        return true;
    }

    private List<Path> newFiles(Set<String> read) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith(".") && !f.getFileName().toString().startsWith("_"))
                    .filter(f -> !read.contains(f.getFileName().toString()))
                    .sorted()
                    .toList();
        }
    }

    /**
     * Splits the file into lines as bytes, from byte {@code offset} (the start of line
     * {@code lines + 1}), and decodes each on its own, so one bad line costs only itself: it goes
     * to the error handler and reading goes on. With checkpoints, {@code progress} follows each
     * line once it is emitted or handed to the error handler. A stop ends reading at the next
     * line.
     *
     * @return whether the file was read to its end (false: the pipeline is stopping)
     */
    private static boolean readLines(Path file, long offset, long lines, SourceContext<String> context, Progress progress)
            throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        long lineNumber = lines;
        long position = offset;
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        try (SeekableByteChannel channel = Files.newByteChannel(file);
             InputStream in = new BufferedInputStream(Channels.newInputStream(channel.position(offset)))) {
            int b;
            boolean pending = false;
            while ((b = in.read()) != -1) {
                position++;
                if (b == '\n') {
                    if (!context.isRunning()) {
                        return false;
                    }
                    emitLine(file, ++lineNumber, line, decoder, context);
                    pending = false;
                    if (progress != null) {
                        progress.consumed(position, lineNumber);
                    }
                } else {
                    line.write(b);
                    pending = true;
                }
            }
            if (pending) {
                if (!context.isRunning()) {
                    return false;
                }
                emitLine(file, ++lineNumber, line, decoder, context);
                if (progress != null) {
                    progress.consumed(position, lineNumber);
                }
            }
        }
        return true;
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

    /** Leading byte of a checkpointed position; a new layout gets a new one. */
    private static final byte POSITION_FORMAT = 1;

    /**
     * With checkpoints: the names of the files read to the end, and the file being read with
     * the byte offset and number of its next line. Updated only once a line is emitted (or
     * handed to the error handler), so a checkpoint taken inside {@code emit} describes exactly
     * the lines before it.
     */
    private static final class Progress {
        final Set<String> done = new HashSet<>();
        String current;
        long offset;
        long lines;

        void startFile(String name) {
            current = name;
            offset = 0;
            lines = 0;
        }

        void consumed(long offset, long lines) {
            this.offset = offset;
            this.lines = lines;
        }

        /** Format byte, file count, each file's name, then the current file's name (or none), offset and line. */
        byte[] encode(long checkpointId) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + done.size() * 16);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(POSITION_FORMAT);
                out.writeInt(done.size());
                for (String name : done) {
                    out.writeUTF(name);
                }
                out.writeBoolean(current != null);
                if (current != null) {
                    out.writeUTF(current);
                    out.writeLong(offset);
                    out.writeLong(lines);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
    }

    private Progress restored(byte[] bytes) {
        Progress progress = new Progress();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (bytes.length == 0 || in.readByte() != POSITION_FORMAT) {
                throw new IOException(bytes.length == 0 ? "no position recorded" : "unknown format " + bytes[0]);
            }
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                progress.done.add(in.readUTF());
            }
            if (in.readBoolean()) {
                progress.startFile(in.readUTF());
                progress.consumed(in.readLong(), in.readLong());
            }
            if (in.read() != -1 || count < 0 || progress.offset < 0 || progress.lines < 0) {
                throw new IOException("malformed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("file source on " + directory + ": the restored checkpoint holds no"
                    + " position this source can read (" + e.getMessage() + "): it was taken by another source under"
                    + " this name, or before file sources recorded which files they read, and starting over would"
                    + " read every file again; start on a fresh state directory", e);
        }
        return progress;
    }
}
