package io.ringflow.state.internal;

import io.ringflow.state.StateException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Exclusive use of a state directory by one pipeline, taken before anything in it is read or
 * written: a restore deletes the live databases before it copies a checkpoint in, so a second
 * pipeline that only found out at RocksDB's own {@code LOCK} would already have destroyed the
 * first one's files. An operating-system file lock on {@code <directory>/.lock}: released when
 * the holder closes it or its process dies (also on {@code kill -9}), so a crash never leaves a
 * directory locked. Cost: one file and one lock per pipeline start.
 */
public final class StateDirectoryLock implements AutoCloseable {

    private static final String FILE = CheckpointFormat.LOCK_FILE;

    private final Path directory;
    private final FileChannel channel;
    private final FileLock lock;

    private StateDirectoryLock(Path directory, FileChannel channel, FileLock lock) {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the directory (creating it if missing), or fails at once, touching nothing in it.
     *
     * @throws StateException if another pipeline, in this process or another, holds it
     */
    public static StateDirectoryLock acquire(Path directory) {
        FileChannel channel = null;
        try {
            Files.createDirectories(directory);
            channel = FileChannel.open(directory.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(directory, null);
            }
            return new StateDirectoryLock(directory, channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw inUse(directory, e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StateException("cannot lock state directory " + directory + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /**
     * The error for a state directory another pipeline or process holds, whichever lock (this
     * one, or RocksDB's {@code LOCK} file in {@code directory}) found it.
     */
    public static StateException inUse(Path directory, Throwable cause) {
        return new StateException("state directory " + directory + " is in use by another pipeline or process"
                + " (it holds the directory's lock): stop the other Ringflow instance, or give this pipeline a state"
                + " directory of its own with PipelineConfig.withStateDirectory(...)", cause);
    }

    public Path directory() {
        return directory;
    }

    /** Releases the directory. Idempotent. */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            // closing the channel below releases it too
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was written through it
            }
        }
    }
}
