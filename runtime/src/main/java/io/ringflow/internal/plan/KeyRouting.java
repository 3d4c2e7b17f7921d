package io.ringflow.internal.plan;

/** Which shard owns a key: the one rule every keyBy and every keyed store agrees on. */
public final class KeyRouting {

    private KeyRouting() {
    }

    /**
     * The shard that owns {@code key}: its hash, mixed so that keys with patterned hash codes
     * (small integers, strings sharing a suffix) still spread evenly.
     */
    public static int shardOf(Object key, int shards) {
        int h = key.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return Math.floorMod(h, shards);
    }
}
