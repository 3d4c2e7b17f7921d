package io.ringflow.internal.keyedstate;

import io.ringflow.state.Serde;
import java.util.Arrays;

/**
 * The store key of one entry of a named state: its serialized bytes, compared by content, so
 * the heap store and the write-back cache (hash maps) find an entry by equal bytes as RocksDB
 * does. The layout of the bytes is {@link StateLayout}'s.
 */
final class StateKey {

    /** The identity serde: the store writes the bytes as they are. */
    static final Serde<StateKey> SERDE = new Serde<>() {
        @Override
        public byte[] serialize(StateKey key) {
            return key.bytes;
        }

        @Override
        public StateKey deserialize(byte[] bytes) {
            return new StateKey(bytes);
        }

        @Override
        public String typeName() {
            return "named-state key";
        }
    };

    private final byte[] bytes;
    private final int hash;

    /** Stores keep their keys (the heap map, the write-back cache, even for a read): never change {@code bytes}. */
    StateKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }


    byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StateKey key && key.hash == hash && Arrays.equals(key.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "StateKey" + Arrays.toString(bytes);
    }
}
