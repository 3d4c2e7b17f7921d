package io.ringflow.internal.join;

import io.ringflow.state.Serde;
import java.nio.ByteBuffer;

/**
 * A {@link Bucket} as bytes: its size, then per record a matched byte, the length of the
 * record's bytes and the bytes, written by the side's value serde.
 */
final class BucketSerde implements Serde<Bucket> {

    private final Serde<Object> values;

    BucketSerde(Serde<Object> values) {
        this.values = values;
    }

    @Override
    public byte[] serialize(Bucket bucket) {
        byte[][] encoded = new byte[bucket.size][];
        int length = Integer.BYTES;
        for (int i = 0; i < bucket.size; i++) {
            encoded[i] = values.serialize(bucket.values[i]);
            length += 1 + Integer.BYTES + encoded[i].length;
        }
        ByteBuffer out = ByteBuffer.allocate(length).putInt(bucket.size);
        for (int i = 0; i < bucket.size; i++) {
            out.put((byte) (bucket.matched[i] ? 1 : 0)).putInt(encoded[i].length).put(encoded[i]);
        }
        return out.array();
    }

    @Override
    public Bucket deserialize(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int size = in.getInt();
        Object[] read = new Object[size];
        boolean[] matched = new boolean[size];
        for (int i = 0; i < size; i++) {
            matched[i] = in.get() != 0;
            byte[] value = new byte[in.getInt()];
            in.get(value);
            read[i] = values.deserialize(value);
        }
        return new Bucket(read, matched);
    }

    /** Checks the record just added: the others were checked when they were. */
    @Override
    public void check(Bucket bucket) {
        values.check(bucket.last());
    }

    @Override
    public String typeName() {
        return "records of " + values.typeName();
    }
}
