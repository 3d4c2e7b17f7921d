package io.ringflow.internal.checkpoint;

import io.ringflow.state.internal.CheckpointFormat;
import io.ringflow.watermark.Watermarks;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Event time at a checkpoint's cut, kept with the source positions so a restore resumes at the
 * event time reached rather than at none: a record late before a crash, a stop or a move is
 * late after it too, as Kafka Streams keeps a partition's stream time in its committed offsets
 * (Flink, by contrast, restarts event time from nothing). Two kinds are kept:
 * <ul>
 *   <li>each shard's watermark, which a restore of the same instance resumes each shard at;</li>
 *   <li>with shared checkpoints, each state partition's own watermark, which the partition
 *       resumes at wherever it moves.</li>
 * </ul>
 */
public final class CheckpointedWatermarks {

    private CheckpointedWatermarks() {
    }

    /** Where shard {@code slot} (its index among every stage's shards) records its watermark. */
    public static String shardKey(int slot) {
        return CheckpointFormat.shardWatermarkKey(slot);
    }

    public static byte[] encodeShard(long watermark) {
        return ByteBuffer.allocate(Long.BYTES).putLong(watermark).array();
    }

    /** Shard {@code slot}'s watermark as recorded in {@code positions}; {@link Watermarks#NONE} if it recorded none. */
    public static long ofShard(Map<String, byte[]> positions, int slot) {
        byte[] recorded = positions.get(shardKey(slot));
        return recorded == null || recorded.length != Long.BYTES ? Watermarks.NONE : ByteBuffer.wrap(recorded).getLong();
    }

    /** Where reader {@code reader} of {@code source} records its partitions' watermarks. */
    public static String key(String source, int reader) {
        return CheckpointFormat.partitionWatermarksKey(source, reader);
    }

    /** {@code partitions[i]} reached {@code watermarks[i]}, for the first {@code count}. */
    public static byte[] encode(int[] partitions, long[] watermarks, int count) {
        ByteBuffer buffer = ByteBuffer.allocate(count * (Integer.BYTES + Long.BYTES));
        for (int i = 0; i < count; i++) {
            buffer.putInt(partitions[i]).putLong(watermarks[i]);
        }
        return buffer.array();
    }

    /**
     * Partition {@code partition}'s watermark as source {@code source}'s readers recorded it in
     * {@code positions} (a checkpoint's), the smallest if several did; {@link Watermarks#NONE}
     * if none did.
     */
    public static long of(Map<String, byte[]> positions, String source, int partition) {
        long found = Long.MAX_VALUE;
        for (Map.Entry<String, byte[]> entry : positions.entrySet()) {
            if (!CheckpointFormat.isPartitionWatermarksOf(entry.getKey(), source)) {
                continue;
            }
            ByteBuffer buffer = ByteBuffer.wrap(entry.getValue());
            while (buffer.remaining() >= Integer.BYTES + Long.BYTES) {
                int p = buffer.getInt();
                long watermark = buffer.getLong();
                if (p == partition) {
                    found = Math.min(found, watermark);
                }
            }
        }
        return found == Long.MAX_VALUE ? Watermarks.NONE : found;
    }
}
