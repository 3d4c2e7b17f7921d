package io.ringflow.state.internal;

import java.nio.file.Path;

/**
 * Every name Ringflow gives to what it keeps on disk for a restart, in one place: the files of a
 * state directory, the directories of a checkpoint, the fields of its manifest and the keys under
 * which a checkpoint records where each source reader and shard stood. A change to the checkpoint
 * format starts and ends here; {@code CheckpointFormatTest} fails if another main source file
 * spells one of these names itself.
 *
 * <pre>
 * &lt;state directory&gt;/
 *   .lock                  the running pipeline's hold on the directory
 *   PARALLELISM            the parallelism the shards were written with
 *   shard-&lt;n&gt;/             shard n's live RocksDB database
 *   checkpoints/chk-&lt;id&gt;/  a checkpoint: shard-&lt;n&gt;/ copies and a MANIFEST, written last
 * </pre>
 *
 * <p>The manifest is a properties file: {@value #ID}, {@value #PARALLELISM}, {@value #STORES},
 * one {@code position.<key>} per recorded position (Base64), one {@code file.<path>} per file
 * with its size, and a {@value #CHECKSUM} over all of it. A position key is one of:
 * <ul>
 *   <li>{@code <source>/<reader>}: the reader's own encoding of where it stood;</li>
 *   <li>{@code @watermarks:<source>/<reader>}: the watermark each of its partitions reached;</li>
 *   <li>{@code @shard-watermark:<slot>}: the watermark of shard {@code slot} (its index among
 *       every stage's shards).</li>
 * </ul>
 * A reader key ends in the reader's number, so the readers of source {@code a} are told apart
 * from those of a source named {@code a/b}. Internal to Ringflow, not an API.
 */
public final class CheckpointFormat {

    /** The state directory's lock file. */
    public static final String LOCK_FILE = ".lock";
    /** The state directory's record of the parallelism its shards were written with. */
    public static final String PARALLELISM_FILE = "PARALLELISM";
    /** Where a state directory keeps its checkpoints. */
    public static final String CHECKPOINTS_DIRECTORY = "checkpoints";
    /** A checkpoint's manifest; written last, by an atomic rename. */
    public static final String MANIFEST = "MANIFEST";

    public static final String ID = "id";
    public static final String PARALLELISM = "parallelism";
    public static final String STORES = "stores";
    public static final String CHECKSUM = "checksum";
    /** Manifest fields {@code position.<key>}: a recorded position, Base64. */
    public static final String POSITION_FIELD = "position.";
    /** Manifest fields {@code file.<path>}: a file of the checkpoint and its size in bytes. */
    public static final String FILE_FIELD = "file.";

    private static final String CHECKPOINT_PREFIX = "chk-";
    private static final String SHARD_PREFIX = "shard-";
    private static final String PARTITION_WATERMARKS_PREFIX = "@watermarks:";
    private static final String SHARD_WATERMARK_PREFIX = "@shard-watermark:";

    private CheckpointFormat() {
    }

    /** The directory of checkpoint {@code id}, as its parent lists it. */
    public static String checkpointDirectory(long id) {
        return CHECKPOINT_PREFIX + id;
    }

    /** Whether {@code name} is a checkpoint directory's name. */
    public static boolean isCheckpointDirectory(String name) {
        return name.startsWith(CHECKPOINT_PREFIX) && isNumber(name, CHECKPOINT_PREFIX.length());
    }

    /** The id of the checkpoint in {@code directory}. */
    public static long checkpointId(Path directory) {
        return Long.parseLong(directory.getFileName().toString().substring(CHECKPOINT_PREFIX.length()));
    }

    /** The name of shard {@code shard}'s database directory, live or in a checkpoint. */
    public static String shardDirectory(int shard) {
        return SHARD_PREFIX + shard;
    }

    /** Where reader {@code reader} of source {@code source} records its position. */
    public static String readerKey(String source, int reader) {
        return source + "/" + reader;
    }

    /** Whether {@code key} is the position of one of source {@code source}'s readers. */
    public static boolean isReaderOf(String key, String source) {
        return key.startsWith(source) && key.length() > source.length() && key.charAt(source.length()) == '/'
                && isNumber(key, source.length() + 1);
    }

    /** Where reader {@code reader} of source {@code source} records its partitions' watermarks. */
    public static String partitionWatermarksKey(String source, int reader) {
        return PARTITION_WATERMARKS_PREFIX + readerKey(source, reader);
    }

    /** Whether {@code key} holds partition watermarks of one of source {@code source}'s readers. */
    public static boolean isPartitionWatermarksOf(String key, String source) {
        return key.startsWith(PARTITION_WATERMARKS_PREFIX)
                && isReaderOf(key.substring(PARTITION_WATERMARKS_PREFIX.length()), source);
    }

    /** Where shard {@code slot} (its index among every stage's shards) records its watermark. */
    public static String shardWatermarkKey(int slot) {
        return SHARD_WATERMARK_PREFIX + slot;
    }

    /** Whether {@code text} from {@code start} on is a non-empty run of digits. */
    private static boolean isNumber(String text, int start) {
        if (start >= text.length()) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
