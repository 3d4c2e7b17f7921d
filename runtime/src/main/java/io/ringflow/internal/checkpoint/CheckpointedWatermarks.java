package io.ringflow.internal.checkpoint;

import io.ringflow.watermark.Watermarks;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Each state partition's own watermark at a checkpoint's cut, kept with the source positions
 * (shared checkpoints only), so a partition that moves resumes at the event time it had
 * reached rather than at none: a record late on the old owner is late on the new one too, as
 * Kafka Streams keeps a partition's stream time in its committed offsets.
 */
public final class CheckpointedWatermarks {

    /** Kept beside the readers' positions under a key no {@code source/reader} position can have. */
    private static final String PREFIX = "@watermarks:";

    private CheckpointedWatermarks() {
    }

    /** Where reader {@code reader} of {@code source} records its partitions' watermarks. */
    public static String key(String source, int reader) {
        return PREFIX + source + "/" + reader;
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
        String prefix = PREFIX + source + "/";
        for (Map.Entry<String, byte[]> entry : positions.entrySet()) {
            if (!entry.getKey().startsWith(prefix)) {
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
