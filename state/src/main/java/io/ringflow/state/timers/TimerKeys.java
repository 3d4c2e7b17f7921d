package io.ringflow.state.timers;

import io.ringflow.state.Bytes;
import java.util.Arrays;

/**
 * The table key of a timer: its time as 8 big-endian bytes with the sign bit flipped, so that
 * unsigned byte order is the numeric order of times (negative ones first), then the key's
 * serialized bytes. The earliest timers are the first keys of the table.
 */
final class TimerKeys {

    private TimerKeys() {
    }

    static byte[] encode(long time, byte[] key) {
        return Bytes.longThen(time ^ Long.MIN_VALUE, key);
    }

    /** The smallest table key of any timer at {@code time}: where a scan for it starts. */
    static byte[] first(long time) {
        byte[] out = new byte[Long.BYTES];
        Bytes.putLong(out, 0, time ^ Long.MIN_VALUE);
        return out;
    }

    static long time(byte[] tableKey) {
        return Bytes.getLong(tableKey, 0) ^ Long.MIN_VALUE;
    }

    /** The serialized key of the timer. */
    static byte[] key(byte[] tableKey) {
        return Arrays.copyOfRange(tableKey, Long.BYTES, tableKey.length);
    }
}
