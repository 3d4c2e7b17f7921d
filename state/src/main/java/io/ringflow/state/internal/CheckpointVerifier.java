package io.ringflow.state.internal;

import io.ringflow.state.StateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ConfigOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.OptionsUtil;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Proves that a checkpoint's databases can be restored before a pipeline chooses it, so a
 * damaged newest checkpoint is passed over for an older intact one instead of failing at the
 * first record of every restart. Each shard's copy is opened read-only with all its column
 * families (which reads CURRENT and the RocksDB MANIFEST and checks that every SST file it
 * lists is there with its recorded size), its OPTIONS files are parsed, and every block of
 * every SST file is read and checked against its checksum. Nothing in the checkpoint is
 * written: RocksDB's info log goes to a temporary directory.
 *
 * <p>Cost: one read of the checkpoint's files, about as long as reading them from disk (they
 * are then in the page cache for the restore's links or copies); once per pipeline start.
 */
public final class CheckpointVerifier {

    private CheckpointVerifier() {
    }

    /**
     * Checks each shard's database in {@code checkpoint}, from shard 0 to {@code parallelism - 1}.
     *
     * @param shardsRequired whether every shard must have a database (a topology with keyed
     *                       state writes one per shard in every checkpoint)
     * @throws StateException naming the shard and what is wrong with it
     */
    public static void verify(Path checkpoint, int parallelism, boolean shardsRequired) {
        for (int shard = 0; shard < parallelism; shard++) {
            String name = CheckpointFormat.shardDirectory(shard);
            Path db = checkpoint.resolve(name);
            if (!Files.isDirectory(db)) {
                if (shardsRequired) {
                    throw new StateException(name + " is missing");
                }
                continue;
            }
            verifyDatabase(db, name);
        }
    }

    private static void verifyDatabase(Path db, String name) {
        if (!Files.isRegularFile(db.resolve("CURRENT"))) {
            throw new StateException(name + " has no CURRENT file");
        }
        verifyOptionsFiles(db, name);
        List<byte[]> families;
        try (Options options = new Options()) {
            families = RocksDB.listColumnFamilies(options, db.toString());
        } catch (RocksDBException e) {
            throw new StateException(name + " cannot be read: " + e.getMessage(), e);
        }
        Path logs = null;
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            logs = Files.createTempDirectory("ringflow-verify");
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            for (byte[] family : families) {
                descriptors.add(new ColumnFamilyDescriptor(family));
            }
            try (DBOptions options = new DBOptions().setDbLogDir(logs.toString()).setParanoidChecks(true);
                 RocksDB copy = RocksDB.openReadOnly(options, db.toString(), descriptors, handles)) {
                try {
                    copy.verifyChecksum();
                } finally {
                    handles.forEach(ColumnFamilyHandle::close);
                }
            }
        } catch (RocksDBException e) {
            throw new StateException(name + " is damaged: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StateException("cannot verify " + name + ": " + e, e);
        } finally {
            if (logs != null) {
                try {
                    CheckpointFiles.deleteRecursively(logs);
                } catch (IOException ignored) {
                    // a temporary directory of RocksDB's log only
                }
            }
        }
    }

    private static void verifyOptionsFiles(Path db, String name) {
        List<Path> files;
        try (Stream<Path> list = Files.list(db)) {
            files = list.filter(f -> f.getFileName().toString().startsWith("OPTIONS-")).toList();
        } catch (IOException e) {
            throw new StateException("cannot list " + name + ": " + e, e);
        }
        for (Path file : files) {
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            try (ConfigOptions config = new ConfigOptions().setIgnoreUnknownOptions(true);
                 DBOptions options = new DBOptions()) {
                OptionsUtil.loadOptionsFromFile(config, file.toString(), options, descriptors);
            } catch (RocksDBException e) {
                throw new StateException(name + "/" + file.getFileName() + " is damaged: " + e.getMessage(), e);
            } finally {
                descriptors.forEach(d -> d.getOptions().close());
            }
        }
    }
}
