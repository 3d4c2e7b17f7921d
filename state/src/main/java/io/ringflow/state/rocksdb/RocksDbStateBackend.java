package io.ringflow.state.rocksdb;

import io.ringflow.state.KeyValueStore;
import io.ringflow.state.Serde;
import io.ringflow.state.StateBackend;
import io.ringflow.state.StateException;
import io.ringflow.state.WindowStore;
import io.ringflow.state.cache.CachingKeyValueStore;
import io.ringflow.state.cache.CachingWindowStore;
import io.ringflow.state.internal.CheckpointFiles;
import io.ringflow.state.internal.CheckpointFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * State in RocksDB under one directory, laid out as {@link CheckpointFormat} says: a database
 * per shard, with one column family per store. All shards share one {@link RocksDbMemory}
 * budget. Key-value and window stores get a write-back cache of {@code cacheEntries}
 * entries (0 turns it off).
 *
 * <p>The directory records the parallelism it was written with: keys are spread over shards
 * by hash, so reopening it with another parallelism would find keys on the wrong shards,
 * and is refused with a clear error.
 */
public final class RocksDbStateBackend implements StateBackend {

    private final Path directory;
    private final RocksDbMemory memory;
    private final int cacheEntries;
    private final AtomicReferenceArray<RocksDbShard> shards;
    /** Starts the names of the threads {@link #checkpoint} starts, so they can be told whose they are. */
    private final String threadPrefix;

    public RocksDbStateBackend(Path directory, int parallelism, long memoryBytes, int cacheEntries) {
        this(directory, parallelism, memoryBytes, cacheEntries, "ringflow-");
    }

    /**
     * @param threadPrefix how the names of the helper threads {@link #checkpoint} starts begin
     *                     ({@code ringflow-<pipeline>-}), so a thread dump says whose they are
     */
    public RocksDbStateBackend(Path directory, int parallelism, long memoryBytes, int cacheEntries,
                               String threadPrefix) {
        this.threadPrefix = threadPrefix;
        if (cacheEntries < 0) {
            throw new IllegalArgumentException("cache entries must be >= 0 (0 turns the cache off), got " + cacheEntries);
        }
        this.directory = directory;
        this.cacheEntries = cacheEntries;
        this.shards = new AtomicReferenceArray<>(parallelism);
        checkParallelism(directory, parallelism);
        this.memory = new RocksDbMemory(memoryBytes);
        try {
            for (int shard = 0; shard < parallelism; shard++) {
                shard(shard);
            }
        } catch (RuntimeException e) {
            try {
                close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static void checkParallelism(Path directory, int parallelism) {
        Path file = directory.resolve(CheckpointFormat.PARALLELISM_FILE);
        try {
            Files.createDirectories(directory);
            if (Files.exists(file)) {
                int written = Integer.parseInt(Files.readString(file, StandardCharsets.UTF_8).trim());
                if (written != parallelism) {
                    throw new StateException("state directory " + directory + " was written with parallelism " + written
                            + ", and this pipeline has parallelism " + parallelism + "; keys would be on the wrong"
                            + " shards. Run with parallelism " + written + ", or use a new state directory");
                }
            } else {
                Files.writeString(file, Integer.toString(parallelism), StandardCharsets.UTF_8);
            }
        } catch (IOException | NumberFormatException e) {
            throw new StateException("cannot read or write " + file + ": " + e, e);
        }
    }

    @Override
    public <K, V> KeyValueStore<K, V> keyValueStore(int shard, String name, Serde<K> keySerde, Serde<V> valueSerde) {
        RocksDbKeyValueStore<K, V> store = new RocksDbKeyValueStore<>(shard(shard), name, keySerde, valueSerde);
        return cacheEntries == 0 ? store : new CachingKeyValueStore<>(store, cacheEntries);
    }

    @Override
    public <K, V> WindowStore<K, V> windowStore(int shard, String name, Serde<K> keySerde, Serde<V> valueSerde) {
        RocksDbWindowStore<K, V> store = new RocksDbWindowStore<>(shard(shard), name, keySerde, valueSerde);
        return cacheEntries == 0 ? store : new CachingWindowStore<>(store, cacheEntries);
    }

    /**
     * The shard's database. Every shard's is opened when the backend is, not on first use: a
     * checkpoint copies every shard, so a restart whose shard saw no record (no input, a quiet
     * key range, a kill before the first record) still carries its restored state forward, and
     * a directory in use is refused before the pipeline starts.
     */
    private synchronized RocksDbShard shard(int shard) {
        RocksDbShard db = shards.get(shard);
        if (db == null) {
            db = RocksDbShard.open(directory.resolve(CheckpointFormat.shardDirectory(shard)), memory);
            shards.set(shard, db);
        }
        return db;
    }

    public Path directory() {
        return directory;
    }

    @Override
    public java.util.Set<String> storeNames(int shard) {
        return shard(shard).familyNames();
    }

    @Override
    public void dropStore(int shard, String name) {
        shard(shard).dropFamilies(name);
    }

    /**
     * Replaces shard {@code shard}'s store {@code name} with its copy in checkpoint
     * {@code checkpoint} (a directory written by {@link #checkpoint}, of this pipeline or of
     * another instance of the same topology and parallelism).
     */
    @Override
    public void importStore(int shard, String name, Path checkpoint) {
        shard(shard).importFamilies(checkpoint.resolve(CheckpointFormat.shardDirectory(shard)), name);
    }

    /**
     * Writes a consistent copy of every shard's database to {@code target} (a directory per shard), with
     * RocksDB's checkpoint API: memtables are flushed and the immutable SST files hard-linked,
     * so the cost is one flush, not a copy of the state. The caller makes sure no shard writes
     * meanwhile (caches flushed, shard threads paused at a barrier).
     */
    public void checkpoint(Path target) {
        java.util.List<Thread> helpers = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<RuntimeException> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        RocksDbShard mine = null;
        Path mineTarget = null;
        for (int i = 0; i < shards.length(); i++) {
            RocksDbShard db = shards.get(i);
            if (db == null) {
                throw new StateException("cannot checkpoint " + directory + ": its databases are closed");
            }
            Path shardTarget = target.resolve(CheckpointFormat.shardDirectory(i));
            if (mine == null) {
                mine = db;
                mineTarget = shardTarget;
                continue;
            }
            // The databases are independent and a flush mostly waits on the disk: flushing
            // them side by side shortens the pause every shard is waiting out.
            Thread helper = new Thread(() -> {
                try {
                    db.checkpoint(shardTarget);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }, checkpointThreadName(threadPrefix, i));
            helper.start();
            helpers.add(helper);
        }
        try {
            if (mine != null) {
                mine.checkpoint(mineTarget);
            }
        } finally {
            for (Thread helper : helpers) {
                try {
                    helper.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StateException("interrupted while checkpointing " + directory, e);
                }
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /**
     * The name of the helper thread that checkpoints shard {@code shard}'s database during
     * {@link #checkpoint}: every shard but the first has one, for as long as its flush takes.
     */
    public static String checkpointThreadName(String threadPrefix, int shard) {
        return threadPrefix + "checkpoint-shard-" + shard;
    }

    /**
     * Replaces the databases under {@code directory} with those of a checkpoint written by
     * {@link #checkpoint}: shards the checkpoint has are copied in (SST files hard-linked where
     * the file system allows, as RocksDB never changes them), shards it lacks start empty. Call
     * before opening a backend on {@code directory}.
     */
    public static void restore(Path checkpoint, Path directory, int parallelism) {
        try {
            for (int i = 0; i < parallelism; i++) {
                Path live = directory.resolve(CheckpointFormat.shardDirectory(i));
                CheckpointFiles.deleteRecursively(live);
                Path saved = checkpoint.resolve(CheckpointFormat.shardDirectory(i));
                if (Files.isDirectory(saved)) {
                    CheckpointFiles.linkOrCopy(saved, live);
                }
            }
        } catch (IOException e) {
            throw new StateException("cannot restore state from checkpoint " + checkpoint + " into " + directory + ": " + e, e);
        }
    }

    /** Flushes and closes every shard's database, then frees the memory budget. */
    @Override
    public void close() {
        StateException first = null;
        for (int i = 0; i < shards.length(); i++) {
            RocksDbShard db = shards.getAndSet(i, null);
            if (db != null) {
                try {
                    db.close();
                } catch (StateException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
        }
        memory.close();
        if (first != null) {
            throw first;
        }
    }
}
