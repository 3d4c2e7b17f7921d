package io.ringflow.state.rocksdb;

import io.ringflow.state.StateException;
import io.ringflow.state.internal.CheckpointFiles;
import io.ringflow.state.internal.StateDirectoryLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.ExportImportFilesMetaData;
import org.rocksdb.FlushOptions;
import org.rocksdb.IndexType;
import org.rocksdb.ImportColumnFamilyOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Statistics;
import org.rocksdb.WriteOptions;

/**
 * One shard's RocksDB database: one directory, one column family per store. Used only by
 * the shard's own thread. Closing flushes every memtable, so a clean stop leaves everything
 * on disk for the next start.
 *
 * <p>The write-ahead log is off: a clean close flushes memtables, and crash consistency is
 * the job of checkpoints (which flush too), as in Kafka Streams, which also runs RocksDB
 * without a WAL.
 */
public final class RocksDbShard implements AutoCloseable {

    private static final byte[] DEFAULT_FAMILY = RocksDB.DEFAULT_COLUMN_FAMILY;

    private final Path directory;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions familyOptions;
    private final BloomFilter bloomFilter;
    private final WriteOptions writeOptions;
    private final ReadOptions readOptions;
    private final RocksDB db;
    /** Every stage's shard with this index shares the database, so families are created under a lock. */
    private final Map<String, ColumnFamilyHandle> families = new ConcurrentHashMap<>();
    private boolean closed;

    private RocksDbShard(Path directory, RocksDbMemory memory, Statistics statistics) {
        this.directory = directory;
        this.bloomFilter = new BloomFilter(10, false);
        BlockBasedTableConfig table = tableConfig(memory, bloomFilter);
        // Small values, point lookups: LZ4 (cheap on CPU).
        this.familyOptions = new ColumnFamilyOptions()
                .setTableFormatConfig(table)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setWriteBufferSize(Math.max(1 << 20, memory.bytes() / 8))
                .setMaxWriteBufferNumber(3)
                .setLevelCompactionDynamicLevelBytes(true);
        this.dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setWriteBufferManager(memory.writeBufferManager())
                .setMaxBackgroundJobs(2)
                // Every store of the shard flushes in one job, with one manifest write: a
                // checkpoint's pause is one flush, not one per column family (15 ms instead of
                // 25 ms for 9 families of 1,000 keys), and families never diverge on disk.
                .setAtomicFlush(true)
                .setKeepLogFileNum(2);
        if (statistics != null) {
            dbOptions.setStatistics(statistics);
        }
        this.writeOptions = new WriteOptions().setDisableWAL(true);
        this.readOptions = new ReadOptions();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        List<byte[]> names = existingFamilies(directory);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (byte[] name : names) {
            descriptors.add(new ColumnFamilyDescriptor(name, familyOptions));
        }
        try {
            Files.createDirectories(directory);
            this.db = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            closeOptions();
            throw openFailure(directory, e);
        } catch (IOException e) {
            closeOptions();
            throw new StateException("cannot create state directory " + directory + ": " + e, e);
        }
        for (int i = 0; i < names.size(); i++) {
            families.put(new String(names.get(i), StandardCharsets.UTF_8), handles.get(i));
        }
    }

    /** Blocks of 4 KiB in the shared cache, bloom filters, for small values read by point lookups. */
    private static BlockBasedTableConfig tableConfig(RocksDbMemory memory, BloomFilter bloomFilter) {
        // Index and filter blocks are partitioned, cached with high priority, their top levels
        // pinned. A whole-file filter of a million keys is 1.2 MB, more than a shard of the block
        // cache (1 MiB of 64): it was freed after every get and read back by the next. Once
        // compaction moved the file out of L0 (pinned) a get took 206 us instead of 7.6 us and a
        // keyed count over 1,000,000 keys fell to 5,000 records/s (RocksDbLookupCostTest,
        // CheckpointThroughputHarness).
        return new BlockBasedTableConfig()
                .setBlockCache(memory.cache())
                .setCacheIndexAndFilterBlocks(true)
                .setCacheIndexAndFilterBlocksWithHighPriority(true)
                .setPinL0FilterAndIndexBlocksInCache(true)
                .setIndexType(IndexType.kTwoLevelIndexSearch)
                .setPartitionFilters(true)
                .setMetadataBlockSize(4 * 1024)
                .setPinTopLevelIndexAndFilter(true)
                .setFilterPolicy(bloomFilter)
                .setBlockSize(4 * 1024);
    }

    /** Opens (or creates) the database in {@code directory}. */
    public static RocksDbShard open(Path directory, RocksDbMemory memory) {
        return new RocksDbShard(directory, memory, null);
    }

    /** Opens the database counting into {@code statistics}: for tests that check how RocksDB is used. */
    static RocksDbShard open(Path directory, RocksDbMemory memory, Statistics statistics) {
        return new RocksDbShard(directory, memory, statistics);
    }

    private static List<byte[]> existingFamilies(Path directory) {
        List<byte[]> names = new ArrayList<>();
        if (Files.exists(directory.resolve("CURRENT"))) {
            try (Options options = new Options()) {
                names.addAll(RocksDB.listColumnFamilies(options, directory.toString()));
            } catch (RocksDBException e) {
                throw openFailure(directory, e);
            }
        }
        if (names.stream().noneMatch(n -> Arrays.equals(n, DEFAULT_FAMILY))) {
            names.add(0, DEFAULT_FAMILY);
        }
        return names;
    }

    private static StateException openFailure(Path directory, RocksDBException e) {
        String message = String.valueOf(e.getMessage());
        if (message.toLowerCase().contains("lock")) {
            return StateDirectoryLock.inUse(directory, e);
        }
        return new StateException("cannot open RocksDB state in " + directory + ": " + message, e);
    }

    /** The column family of store {@code name}, created on first use. */
    synchronized ColumnFamilyHandle family(String name) {
        checkOpen();
        ColumnFamilyHandle handle = families.get(name);
        if (handle == null) {
            try {
                handle = db.createColumnFamily(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), familyOptions));
            } catch (RocksDBException e) {
                throw new StateException("store '" + name + "': cannot create its column family in " + directory
                        + ": " + e.getMessage(), e);
            }
            families.put(name, handle);
        }
        return handle;
    }

    /** The names of the database's column families (stores), without RocksDB's default one. */
    public synchronized Set<String> familyNames() {
        Set<String> names = new TreeSet<>(families.keySet());
        names.remove(new String(DEFAULT_FAMILY, StandardCharsets.UTF_8));
        return names;
    }

    /**
     * Drops the column family {@code name} and every family named {@code name + "."} something
     * (a window store's index): dropping is instant whatever the family holds. Stores on them
     * must be closed first.
     */
    public synchronized void dropFamilies(String name) {
        checkOpen();
        for (String family : List.copyOf(families.keySet())) {
            if (family.equals(name) || family.startsWith(name + ".")) {
                ColumnFamilyHandle handle = families.remove(family);
                try {
                    db.dropColumnFamily(handle);
                } catch (RocksDBException e) {
                    throw new StateException("store '" + family + "': cannot drop its column family in " + directory
                            + ": " + e.getMessage(), e);
                } finally {
                    handle.close();
                }
            }
        }
    }

    /**
     * Replaces the families {@code name} and {@code name.*} with their copies in the database
     * {@code source} (a checkpoint of a shard with the same index, written by this or another
     * instance). The checkpoint is never written to: its files are hard-linked (copied, if it
     * lies on another file system) into a private working copy next to this database, whose
     * families RocksDB exports and this database imports as they are, SST files and all. So a
     * move costs file links, not a write per entry: about 35 ms for a million small entries
     * (the entry-by-entry copy it replaced took 650 ms; {@code PartitionMoveHarness}).
     */
    public synchronized void importFamilies(Path source, String name) {
        dropFamilies(name);
        if (!Files.exists(source.resolve("CURRENT"))) {
            return; // that shard held no state at all
        }
        List<byte[]> names;
        try (Options options = new Options()) {
            names = RocksDB.listColumnFamilies(options, source.toString());
        } catch (RocksDBException e) {
            throw new StateException("cannot read the stores of " + source + ": " + e.getMessage(), e);
        }
        if (names.stream().map(n -> new String(n, StandardCharsets.UTF_8)).noneMatch(f -> belongsTo(f, name))) {
            return;
        }
        Path work = directory.resolveSibling("." + directory.getFileName() + "-import");
        try {
            CheckpointFiles.deleteRecursively(work);
            CheckpointFiles.linkOrCopy(source, work.resolve("db"));
            importFrom(work, names, name);
        } catch (IOException e) {
            throw new StateException("store '" + name + "': cannot copy it from " + source + ": " + e, e);
        } catch (RocksDBException e) {
            throw new StateException("store '" + name + "': cannot copy it from " + source + ": " + e.getMessage(), e);
        } finally {
            try {
                CheckpointFiles.deleteRecursively(work);
            } catch (IOException e) {
                // only links and copies of a checkpoint: the next import clears them
            }
        }
    }

    private static boolean belongsTo(String family, String store) {
        return family.equals(store) || family.startsWith(store + ".");
    }

    /** Opens the working copy (it must be writable for RocksDB to export from it) and imports {@code name}'s families. */
    private void importFrom(Path work, List<byte[]> names, String name) throws RocksDBException {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (ColumnFamilyOptions untouched = new ColumnFamilyOptions().setDisableAutoCompactions(true);
             DBOptions options = new DBOptions().setCreateIfMissing(false);
             ImportColumnFamilyOptions importOptions = new ImportColumnFamilyOptions().setMoveFiles(true)) {
            for (byte[] family : names) {
                descriptors.add(new ColumnFamilyDescriptor(family, untouched));
            }
            try (RocksDB copy = RocksDB.open(options, work.resolve("db").toString(), descriptors, handles);
                 Checkpoint exporter = Checkpoint.create(copy)) {
                for (int i = 0; i < names.size(); i++) {
                    String family = new String(names.get(i), StandardCharsets.UTF_8);
                    if (!belongsTo(family, name)) {
                        continue;
                    }
                    if (copy.getColumnFamilyMetaData(handles.get(i)).fileCount() == 0) {
                        family(family); // nothing to import: RocksDB refuses an empty file list
                        continue;
                    }
                    try (ExportImportFilesMetaData files =
                                 exporter.exportColumnFamily(handles.get(i), work.resolve("export-" + i).toString())) {
                        families.put(family, db.createColumnFamilyWithImport(
                                new ColumnFamilyDescriptor(names.get(i), familyOptions), importOptions, files));
                    }
                }
            } finally {
                handles.forEach(ColumnFamilyHandle::close);
            }
        }
    }

    RocksDB db() {
        checkOpen();
        return db;
    }

    WriteOptions writeOptions() {
        return writeOptions;
    }

    ReadOptions readOptions() {
        return readOptions;
    }

    public Path directory() {
        return directory;
    }

    /**
     * Writes a consistent copy of the database to {@code target}: every memtable flushed in one
     * atomic flush, then RocksDB's checkpoint hard-links the SST files. The caller keeps writers
     * away meanwhile.
     */
    synchronized void checkpoint(Path target) {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true);
             Checkpoint checkpoint = Checkpoint.create(db)) {
            db.flush(flush, new ArrayList<>(families.values()));
            checkpoint.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new StateException("cannot write checkpoint of " + directory + " to " + target + ": " + e, e);
        }
    }

    /** Flushes every memtable to disk and releases every native handle. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush, new ArrayList<>(families.values()));
        } catch (RocksDBException e) {
            throw new StateException("cannot flush RocksDB state in " + directory + " on close: " + e.getMessage(), e);
        } finally {
            families.values().forEach(ColumnFamilyHandle::close);
            db.close();
            closeOptions();
        }
    }

    private void closeOptions() {
        writeOptions.close();
        readOptions.close();
        dbOptions.close();
        familyOptions.close();
        bloomFilter.close();
    }

    private void checkOpen() {
        if (closed) {
            throw new StateException("RocksDB state in " + directory + " is closed");
        }
    }
}
