package io.ringflow.state;

import java.util.Arrays;

/**
 * A serde that needs no declaration for the built-in types (String, Long, Integer, Double,
 * byte[]): each value is written with a one-byte type tag, so it reads back without being
 * told the type, even after a restart. Keys of one type keep their order (the tag is the
 * same first byte). Any other type fails with a message saying how to declare a serde.
 */
public final class InferredSerde<T> implements Serde<T> {

    private static final byte STRING = 'S';
    private static final byte LONG = 'L';
    private static final byte INTEGER = 'I';
    private static final byte DOUBLE = 'D';
    private static final byte BYTES = 'B';

    private final String store;
    private final String role;

    /**
     * @param store the store it serves, named in errors
     * @param role  {@code "key"} or {@code "value"}, named in errors
     */
    public InferredSerde(String store, String role) {
        this.store = store;
        this.role = role;
    }

    @Override
    public byte[] serialize(T value) {
        byte tag;
        byte[] body;
        if (value instanceof String s) {
            tag = STRING;
            body = Serdes.string().serialize(s);
        } else if (value instanceof Long l) {
            tag = LONG;
            body = Serdes.longs().serialize(l);
        } else if (value instanceof Integer i) {
            tag = INTEGER;
            body = Serdes.integers().serialize(i);
        } else if (value instanceof Double d) {
            tag = DOUBLE;
            body = Serdes.doubles().serialize(d);
        } else if (value instanceof byte[] b) {
            tag = BYTES;
            body = b;
        } else {
            throw missing(value);
        }
        byte[] out = new byte[body.length + 1];
        out[0] = tag;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    @Override
    public void check(T value) {
        if (!(value instanceof String || value instanceof Long || value instanceof Integer || value instanceof Double
                || value instanceof byte[])) {
            throw missing(value);
        }
    }

    private MissingSerdeException missing(Object value) {
        return new MissingSerdeException("store '" + store + "': no serde for " + role + "s of type "
                + (value == null ? "null" : value.getClass().getName())
                + "; Ringflow infers serdes only for String, Long, Integer, Double and byte[]."
                + " Declare one with Materialized.with(keySerde, valueSerde), for example built with Serdes.of(...)");
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(byte[] bytes) {
        if (bytes.length == 0) {
            throw new StateException("store '" + store + "': empty " + role + " bytes have no type tag");
        }
        byte[] body = Arrays.copyOfRange(bytes, 1, bytes.length);
        Object value = switch (bytes[0]) {
            case STRING -> Serdes.string().deserialize(body);
            case LONG -> Serdes.longs().deserialize(body);
            case INTEGER -> Serdes.integers().deserialize(body);
            case DOUBLE -> Serdes.doubles().deserialize(body);
            case BYTES -> body;
            default -> throw new StateException("store '" + store + "': " + role + " bytes carry unknown type tag "
                    + bytes[0] + "; was this state written by another topology or with a declared serde?");
        };
        return (T) value;
    }

    @Override
    public String typeName() {
        return "inferred";
    }
}
