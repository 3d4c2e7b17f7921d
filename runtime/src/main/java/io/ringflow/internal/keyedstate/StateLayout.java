package io.ringflow.internal.keyedstate;

import io.ringflow.state.Bytes;
import java.util.Arrays;

/**
 * The bytes of named state, one layout for every backend.
 *
 * <p>A store key is the stream key's serialized bytes preceded by their length (4 bytes,
 * big-endian), then what names the entry within the key: nothing for a value, the map key's
 * serialized bytes for a map entry, an 8-byte big-endian sequence number for a list element
 * (and nothing for the list's sequence entry). The length makes the prefix of key "A" (length
 * 1) differ from the prefix of key "AB" (length 2) in its first bytes, so a scan of one key's
 * prefix never reaches another key's entries, whatever the bytes that follow.
 *
 * <p>A stored value is the entry's expiry time (8 bytes, big-endian; {@code Long.MAX_VALUE}
 * for never) and then the user's serialized value: the cleanup of expired entries and a check
 * on read need no user serde, and a state can gain or lose a TTL between runs without a
 * migration.
 */
final class StateLayout {

    static final int LENGTH = Integer.BYTES;
    static final int EXPIRY = Long.BYTES;
    static final long NEVER = Long.MAX_VALUE;

    private StateLayout() {
    }

    /** The prefix of every entry of a key: its length, then its bytes. */
    static byte[] prefix(byte[] key) {
        byte[] out = new byte[LENGTH + key.length];
        putInt(out, key.length);
        System.arraycopy(key, 0, out, LENGTH, key.length);
        return out;
    }

    /** The store key of the entry {@code sub} of the key whose prefix is {@code prefix}. */
    static byte[] entry(byte[] prefix, byte[] sub) {
        byte[] out = Arrays.copyOf(prefix, prefix.length + sub.length);
        System.arraycopy(sub, 0, out, prefix.length, sub.length);
        return out;
    }

    /** The store key of list element {@code sequence} of the key whose prefix is {@code prefix}. */
    static byte[] element(byte[] prefix, long sequence) {
        return Bytes.withLong(prefix, sequence);
    }

    /** How long the key's prefix of store key {@code entry} is. */
    static int prefixLength(byte[] entry) {
        return LENGTH + (((entry[0] & 0xff) << 24) | ((entry[1] & 0xff) << 16) | ((entry[2] & 0xff) << 8)
                | (entry[3] & 0xff));
    }

    /** What names the entry within its key: the bytes after the prefix. */
    static byte[] sub(byte[] entry) {
        return Arrays.copyOfRange(entry, prefixLength(entry), entry.length);
    }

    /** A stored value: {@code expiry}, then {@code value}. */
    static byte[] stamp(long expiry, byte[] value) {
        return Bytes.longThen(expiry, value);
    }

    static long expiry(byte[] stored) {
        return Bytes.getLong(stored, 0);
    }

    /** The user's serialized value in a stored value. */
    static byte[] body(byte[] stored) {
        return Arrays.copyOfRange(stored, EXPIRY, stored.length);
    }

    private static void putInt(byte[] target, int value) {
        target[0] = (byte) (value >>> 24);
        target[1] = (byte) (value >>> 16);
        target[2] = (byte) (value >>> 8);
        target[3] = (byte) value;
    }
}
