package io.ringflow.internal.checkpoint;

import io.ringflow.state.internal.CheckpointFiles;
import io.ringflow.state.internal.CheckpointFormat;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints on disk, laid out as {@link CheckpointFormat} says: a directory per checkpoint
 * under the root ({@code <state directory>/checkpoints}, or the instance's directory under the
 * shared checkpoint directory) holds each shard's database and a manifest (id, parallelism,
 * stores, every recorded position, every file's size, and a checksum over all of it). The manifest is written last, by an
 * atomic rename, so a checkpoint without one was never finished and is never used; one whose
 * manifest does not check out is skipped with a log line naming it.
 */
public final class CheckpointStorage {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStorage.class);
    private static final String MANIFEST = CheckpointFormat.MANIFEST;
    private static final String FILE = CheckpointFormat.FILE_FIELD;

    /** A complete checkpoint read back from disk. */
    public record Checkpoint(long id, Path directory, int parallelism, TreeSet<String> stores,
                             Map<String, byte[]> positions) {
        /** The position source {@code source}'s reader {@code reader} recorded, if it recorded one. */
        public Optional<byte[]> position(String source, int reader) {
            return Optional.ofNullable(positions.get(CheckpointFormat.readerKey(source, reader)));
        }
    }

    private final Path root;

    public CheckpointStorage(Path root) {
        this.root = root;
    }

    /** One storage per instance directory under {@code shared} (every instance's checkpoints). */
    public static List<CheckpointStorage> instancesUnder(Path shared) {
        if (!Files.isDirectory(shared)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(shared)) {
            return entries.filter(Files::isDirectory).sorted().map(CheckpointStorage::new).toList();
        } catch (IOException e) {
            LOG.warn("cannot list the instances' checkpoints in {}: {}", shared, e.toString());
            return List.of();
        }
    }

    /** Every complete, valid checkpoint, newest first; others are passed over without a word. */
    public List<Checkpoint> complete() {
        List<Checkpoint> checkpoints = new ArrayList<>();
        for (Path directory : newestFirst()) {
            try {
                checkpoints.add(read(directory));
            } catch (IOException | RuntimeException e) {
                // unfinished, being deleted, or damaged: not a copy anyone can take state from
            }
        }
        return checkpoints;
    }

    public Path root() {
        return root;
    }

    /**
     * Writes checkpoint {@code id}: {@code state} fills its directory, then the manifest makes it
     * complete.
     */
    public Written write(long id, int parallelism, TreeSet<String> stores, Map<String, byte[]> positions,
                         Consumer<Path> state) throws IOException {
        Path directory = root.resolve(CheckpointFormat.checkpointDirectory(id));
        CheckpointFiles.deleteRecursively(directory);
        Files.createDirectories(directory);
        state.accept(directory);
        Properties manifest = new Properties();
        long size = recordFiles(directory, manifest);
        manifest.setProperty(CheckpointFormat.ID, Long.toString(id));
        manifest.setProperty(CheckpointFormat.PARALLELISM, Integer.toString(parallelism));
        manifest.setProperty(CheckpointFormat.STORES, String.join(",", stores));
        positions.forEach((key, bytes) ->
                manifest.setProperty(CheckpointFormat.POSITION_FIELD + key, Base64.getEncoder().encodeToString(bytes)));
        manifest.setProperty(CheckpointFormat.CHECKSUM, Long.toString(checksum(manifest)));
        StringWriter text = new StringWriter();
        manifest.store(text, "Ringflow checkpoint");
        Path temporary = directory.resolve(MANIFEST + ".tmp");
        Files.writeString(temporary, text.toString(), StandardCharsets.UTF_8);
        Files.move(temporary, directory.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
        return new Written(directory, size);
    }

    /** A checkpoint just written: where, and the bytes of its state files. */
    public record Written(Path directory, long bytes) {
    }

    /** The newest complete, valid checkpoint; incomplete or corrupt ones are skipped and logged. */
    public Optional<Checkpoint> latest() {
        return latest(Long.MAX_VALUE);
    }

    /**
     * The newest complete, valid checkpoint whose id is at most {@code atMost} (the last one a
     * transactional sink committed); newer ones are passed over, with a log line.
     */
    public Optional<Checkpoint> latest(long atMost) {
        return restorable(atMost, checkpoint -> { }).chosen();
    }

    /**
     * The checkpoint a restore takes, and those it passed over as damaged on the way.
     *
     * @param unusable each complete (manifested) checkpoint newer than the chosen one that
     *                 could not be used, as {@code "<its directory>: what is wrong"}; unfinished ones
     *                 (no manifest: a crash while writing) are not among them
     */
    public record Selection(Optional<Checkpoint> chosen, List<String> unusable) {
    }

    /**
     * The newest checkpoint, of id at most {@code atMost}, whose manifest checks out, whose
     * files are all there with the sizes it recorded, and that {@code verify} accepts (it
     * throws, naming what is wrong, to refuse one). Every one passed over is logged by name.
     */
    public Selection restorable(long atMost, Consumer<Checkpoint> verify) {
        List<String> unusable = new ArrayList<>();
        for (Path directory : newestFirst()) {
            if (idOf(directory) > atMost) {
                LOG.info("passing over checkpoint {}: its output was never committed", directory);
                continue;
            }
            try {
                Checkpoint checkpoint = read(directory);
                verify.accept(checkpoint);
                return new Selection(Optional.of(checkpoint), unusable);
            } catch (IOException | RuntimeException e) {
                LOG.warn("ignoring checkpoint {}: {}", directory, e.getMessage());
                if (Files.exists(directory.resolve(MANIFEST))) {
                    unusable.add(directory.getFileName() + ": " + e.getMessage());
                }
            }
        }
        return new Selection(Optional.empty(), unusable);
    }

    /**
     * Records every file of the checkpoint with its size in the manifest, so a file that went
     * missing or changed size (an SST deleted, a RocksDB MANIFEST emptied, a copy cut short) is
     * found when the checkpoint is read, without opening a database. Costs a directory listing.
     */
    private static long recordFiles(Path directory, Properties manifest) throws IOException {
        long bytes = 0;
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = directory.relativize(file).toString().replace(File.separatorChar, '/');
                if (!name.startsWith(MANIFEST)) {
                    long size = Files.size(file);
                    manifest.setProperty(FILE + name, Long.toString(size));
                    bytes += size;
                }
            }
        }
        return bytes;
    }

    private static void checkFiles(Path directory, Properties manifest) throws IOException {
        for (String property : manifest.stringPropertyNames()) {
            if (!property.startsWith(FILE)) {
                continue;
            }
            String name = property.substring(FILE.length());
            Path file = directory.resolve(name);
            long recorded = Long.parseLong(manifest.getProperty(property));
            if (!Files.isRegularFile(file)) {
                throw new IOException(name + " is missing");
            }
            long size = Files.size(file);
            if (size != recorded) {
                throw new IOException(name + " is " + size + " bytes, and the checkpoint wrote " + recorded
                        + ": it was cut short or changed");
            }
        }
    }

    /**
     * Deletes all but the newest {@code retained} complete checkpoints and those in {@code needed}
     * (another instance may still have to take a partition's state from them), and unfinished
     * ones older than those kept.
     */
    public void retain(int retained, Set<Path> needed) throws IOException {
        int kept = 0;
        for (Path directory : newestFirst()) {
            boolean complete = Files.exists(directory.resolve(MANIFEST));
            if (complete && kept < retained) {
                kept++;
            } else if (kept > 0 && !(complete && needed.contains(directory.toAbsolutePath().normalize()))) {
                CheckpointFiles.deleteRecursively(directory);
            }
        }
    }

    /**
     * Deletes every checkpoint newer than {@code id}: after restoring an older one (its output
     * was never committed), they describe a future that did not happen.
     */
    public void discardNewerThan(long id) throws IOException {
        for (Path directory : newestFirst()) {
            if (idOf(directory) > id) {
                LOG.info("discarding checkpoint {}: the pipeline restored the older checkpoint {}", directory, id);
                CheckpointFiles.deleteRecursively(directory);
            }
        }
    }

    private Checkpoint read(Path directory) throws IOException {
        Path file = directory.resolve(MANIFEST);
        if (!Files.exists(file)) {
            throw new IOException("no " + MANIFEST + ": the checkpoint was never finished");
        }
        Properties manifest = new Properties();
        try (Reader reader = new StringReader(Files.readString(file, StandardCharsets.UTF_8))) {
            manifest.load(reader);
        }
        String recorded = manifest.getProperty(CheckpointFormat.CHECKSUM);
        manifest.remove(CheckpointFormat.CHECKSUM);
        if (recorded == null || Long.parseLong(recorded) != checksum(manifest)) {
            throw new IOException(MANIFEST + " checksum does not match its contents: the file is damaged");
        }
        checkFiles(directory, manifest);
        long id = Long.parseLong(manifest.getProperty(CheckpointFormat.ID));
        int parallelism = Integer.parseInt(manifest.getProperty(CheckpointFormat.PARALLELISM));
        TreeSet<String> stores = new TreeSet<>();
        for (String store : manifest.getProperty(CheckpointFormat.STORES, "").split(",")) {
            if (!store.isEmpty()) {
                stores.add(store);
            }
        }
        Map<String, byte[]> positions = new LinkedHashMap<>();
        for (String name : manifest.stringPropertyNames()) {
            if (name.startsWith(CheckpointFormat.POSITION_FIELD)) {
                positions.put(name.substring(CheckpointFormat.POSITION_FIELD.length()),
                        Base64.getDecoder().decode(manifest.getProperty(name)));
            }
        }
        for (int shard = 0; shard < parallelism; shard++) {
            String shardDirectory = CheckpointFormat.shardDirectory(shard);
            Path db = directory.resolve(shardDirectory);
            if (Files.isDirectory(db) && !Files.exists(db.resolve("CURRENT"))) {
                throw new IOException(shardDirectory + " has no CURRENT file: its database copy is incomplete");
            }
        }
        return new Checkpoint(id, directory, parallelism, stores, positions);
    }

    private List<Path> newestFirst() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            List<Path> directories = new ArrayList<>(entries
                    .filter(p -> CheckpointFormat.isCheckpointDirectory(p.getFileName().toString()) && Files.isDirectory(p))
                    .toList());
            directories.sort(Comparator.comparingLong(CheckpointStorage::idOf).reversed());
            return directories;
        } catch (IOException e) {
            LOG.warn("cannot list checkpoints in {}: {}", root, e.toString());
            return List.of();
        }
    }

    /** The id of a checkpoint directory. */
    public static long idOf(Path directory) {
        return CheckpointFormat.checkpointId(directory);
    }

    private static long checksum(Properties manifest) {
        CRC32 crc = new CRC32();
        for (String name : new TreeSet<>(manifest.stringPropertyNames())) {
            crc.update((name + "=" + manifest.getProperty(name) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return crc.getValue();
    }
}
