package io.ringflow.state;

import java.util.Arrays;

/** Byte-array helpers for store key layouts: big-endian longs, prefixes, order. */
public final class Bytes {

    private Bytes() {
    }

    public static void putLong(byte[] target, int offset, long value) {
        for (int i = 7; i >= 0; i--) {
            target[offset + i] = (byte) value;
            value >>>= 8;
        }
    }

    public static long getLong(byte[] source, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (source[offset + i] & 0xff);
        }
        return value;
    }

    /** {@code prefix} followed by {@code value} as 8 big-endian bytes. */
    public static byte[] withLong(byte[] prefix, long value) {
        byte[] out = Arrays.copyOf(prefix, prefix.length + Long.BYTES);
        putLong(out, prefix.length, value);
        return out;
    }

    /** {@code value} as 8 big-endian bytes followed by {@code suffix}. */
    public static byte[] longThen(long value, byte[] suffix) {
        byte[] out = new byte[Long.BYTES + suffix.length];
        putLong(out, 0, value);
        System.arraycopy(suffix, 0, out, Long.BYTES, suffix.length);
        return out;
    }

    public static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    /**
     * The smallest array greater than every array starting with {@code prefix}, or
     * {@code null} if there is none (the prefix is all 0xff): the exclusive end of a prefix scan.
     */
    public static byte[] prefixEnd(byte[] prefix) {
        byte[] end = prefix.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return null;
    }

    /** Unsigned lexicographic order, the order RocksDB keeps keys in. */
    public static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    static void requireLength(byte[] bytes, int length, String type) {
        if (bytes.length != length) {
            throw new IllegalArgumentException("a " + type + " is " + length + " bytes, got " + bytes.length);
        }
    }
}
