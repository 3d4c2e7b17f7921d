package io.ringflow.state.rocksdb;

import io.ringflow.state.KeyValueStore;
import io.ringflow.state.Serde;
import io.ringflow.state.StateBackend;
import io.ringflow.state.StateException;
import io.ringflow.state.TimerStore;
import io.ringflow.state.VersionedStore;
import io.ringflow.state.WindowStore;
import io.ringflow.state.cache.CachingKeyValueStore;
import io.ringflow.state.cache.CachingWindowStore;
import io.ringflow.state.internal.CheckpointFiles;
import io.ringflow.state.internal.CheckpointFormat;
import io.ringflow.state.timers.BufferedTimerStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * State in RocksDB under one directory, laid out as {@link CheckpointFormat} says: a database
 * per shard, with one column family per store. All shards share one {@link RocksDbMemory}
 * budget. Key-value and window stores get a write-back cache of {@code cacheEntries}
 * entries (0 turns it off), timer stores a write buffer of as many changes.
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
    public RocksDbStateBackend(Path directory, int parallelism, long memoryBytes, int cacheEntries) {
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
     * A timer store on its own column family, with a write buffer of {@code cacheEntries}
     * changes (1 when the cache is off: each change is written at once).
     */
    @Override
    public <K> TimerStore<K> timerStore(int shard, String name, Serde<K> keySerde) {
        return new BufferedTimerStore<>(name, keySerde, new RocksDbTimerTable(shard(shard), name),
                Math.max(1, cacheEntries));
    }

    /**
     * A versioned store on its own column family, written straight through, with the newest
     * version of up to {@code cacheEntries} recently read keys on the heap (a read for a time at
     * or after it costs no seek), and its expiry index behind a buffer of {@code cacheEntries}
     * changes (1, and nothing held, when the cache is off).
     */
    @Override
    public <K, V> VersionedStore<K, V> versionedStore(int shard, String name, Serde<K> keySerde, Serde<V> valueSerde) {
        return new RocksDbVersionedStore<>(shard(shard), name, keySerde, valueSerde, cacheEntries);
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
    public Set<String> storeNames(int shard) {
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

    /** How many shards, each with its own database. */
    public int parallelism() {
        return shards.length();
    }

    /**
     * Writes a consistent copy of shard {@code shard}'s database into {@code target} (in its
     * shard's directory), with RocksDB's checkpoint API: memtables are flushed and the immutable
     * SST files hard-linked, so the cost is one flush, not a copy of the state. The caller makes
     * sure the shard does not write meanwhile (caches flushed, its thread paused at a barrier).
     * Shards may be checkpointed from several threads at once.
     */
    public void checkpointShard(int shard, Path target) {
        RocksDbShard db = shards.get(shard);
        if (db == null) {
            throw new StateException("cannot checkpoint " + directory + ": its databases are closed");
        }
        db.checkpoint(target.resolve(CheckpointFormat.shardDirectory(shard)));
    }

    /** Checkpoints every shard into {@code target}, one after the other, on the calling thread. */
    public void checkpoint(Path target) {
        for (int shard = 0; shard < shards.length(); shard++) {
            checkpointShard(shard, target);
        }
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
