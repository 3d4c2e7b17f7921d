package io.ringflow.internal.join;

import io.ringflow.state.Serde;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The stream values of one key at one time that wait for the watermark, in arrival order:
 * a count, then each value's length and bytes by the stream's value serde.
 */
final class PendingValuesSerde implements Serde<List<Object>> {

    private final Serde<Object> values;

    PendingValuesSerde(Serde<Object> values) {
        this.values = values;
    }

    @Override
    public byte[] serialize(List<Object> pending) {
        byte[][] each = new byte[pending.size()][];
        int size = Integer.BYTES;
        for (int i = 0; i < each.length; i++) {
            each[i] = values.serialize(pending.get(i));
            size += Integer.BYTES + each[i].length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).putInt(each.length);
        for (byte[] bytes : each) {
            out.putInt(bytes.length).put(bytes);
        }
        return out.array();
    }

    @Override
    public List<Object> deserialize(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int count = in.getInt();
        List<Object> pending = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] value = new byte[in.getInt()];
            in.get(value);
            pending.add(values.deserialize(value));
        }
        return pending;
    }

    @Override
    public void check(List<Object> pending) {
        for (Object value : pending) {
            values.check(value);
        }
    }

    @Override
    public String typeName() {
        return "list of " + values.typeName();
    }
}
