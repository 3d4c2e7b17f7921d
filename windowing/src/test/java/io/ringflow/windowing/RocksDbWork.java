package io.ringflow.windowing;

import java.nio.file.Path;
import org.rocksdb.Options;
import org.rocksdb.PerfContext;
import org.rocksdb.PerfLevel;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Counts what RocksDB does on the calling thread, with its per-thread perf context: seeks,
 * and the deleted entries (tombstones) iterators step over. The counters are RocksDB's own and
 * count work, not time, so a test can say "a lookup walks no old sessions" without timing
 * anything. RocksJava reaches the per-thread context only through a database handle; it is
 * the same context whichever database that is, so a throwaway one in its own directory
 * serves, and the state under test needs no test hook.
 */
final class RocksDbWork implements AutoCloseable {

    private final Options options;
    private final RocksDB handle;
    private final PerfContext perf;

    RocksDbWork(Path directory) throws RocksDBException {
        options = new Options().setCreateIfMissing(true);
        handle = RocksDB.open(options, directory.toString());
        handle.setPerfLevel(PerfLevel.ENABLE_COUNT);
        perf = handle.getPerfContext();
    }

    void reset() {
        perf.reset();
    }

    /** Deleted entries iterators stepped over since {@link #reset()}. */
    long tombstonesSkipped() {
        return perf.getInternalDeleteSkippedCount();
    }

    /** Iterator seeks since {@link #reset()} (each touches the memtable once). */
    long seeks() {
        return perf.getSeekOnMemtableCount();
    }

    @Override
    public void close() {
        handle.setPerfLevel(PerfLevel.DISABLE);
        handle.close();
        options.close();
    }
}
