package io.ringflow.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Serdes for common types, and {@link #of} to compose one for a record type of your own
 * without a code generator:
 *
 * <pre>{@code
 * Serde<Trade> trades = Serdes.of("Trade",
 *         (trade, out) -> { out.writeUTF(trade.symbol()); out.writeDouble(trade.price()); },
 *         in -> new Trade(in.readUTF(), in.readDouble()));
 * }</pre>
 *
 * Numbers are big-endian, so the byte order of non-negative numbers is their numeric order
 * (which RocksDB range scans follow).
 */
public final class Serdes {

    private Serdes() {
    }

    /** Writes one value's fields; {@code DataOutput} gives the primitives and UTF strings. */
    @FunctionalInterface
    public interface Writer<T> {
        void write(T value, DataOutput out) throws IOException;
    }

    /** Reads back what the matching {@link Writer} wrote, in the same order. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(DataInput in) throws IOException;
    }

    public static Serde<String> string() {
        return STRING;
    }

    public static Serde<Long> longs() {
        return LONG;
    }

    public static Serde<Integer> integers() {
        return INTEGER;
    }

    public static Serde<Double> doubles() {
        return DOUBLE;
    }

    public static Serde<byte[]> byteArray() {
        return BYTES;
    }

    /**
     * The built-in serde for {@code type} (String, Long, Integer, Double, byte[]), or
     * {@code null} if there is none.
     */
    @SuppressWarnings("unchecked")
    public static <T> Serde<T> forClass(Class<T> type) {
        if (type == String.class) {
            return (Serde<T>) STRING;
        } else if (type == Long.class) {
            return (Serde<T>) LONG;
        } else if (type == Integer.class) {
            return (Serde<T>) INTEGER;
        } else if (type == Double.class) {
            return (Serde<T>) DOUBLE;
        } else if (type == byte[].class) {
            return (Serde<T>) BYTES;
        }
        return null;
    }

    /**
     * A serde for a type of your own from a writer and a reader of its fields.
     *
     * @param typeName named in errors, for example {@code "Trade"}
     */
    public static <T> Serde<T> of(String typeName, Writer<T> writer, Reader<T> reader) {
        if (writer == null || reader == null) {
            throw new IllegalArgumentException("Serdes.of(...) needs both a writer and a reader");
        }
        return new Serde<>() {
            @Override
            public byte[] serialize(T value) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
                try (DataOutputStream out = new DataOutputStream(bytes)) {
                    writer.write(value, out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return bytes.toByteArray();
            }

            @Override
            public T deserialize(byte[] bytes) {
                try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                    T value = reader.read(in);
                    if (in.available() != 0) {
                        throw new IllegalArgumentException(in.available() + " bytes left over after reading a "
                                + typeName + "; the reader does not match the writer");
                    }
                    return value;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public String typeName() {
                return typeName;
            }
        };
    }

    private static final Serde<String> STRING = new Serde<>() {
        @Override
        public byte[] serialize(String value) {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String deserialize(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String typeName() {
            return "String";
        }
    };

    private static final Serde<Long> LONG = new Serde<>() {
        @Override
        public byte[] serialize(Long value) {
            byte[] bytes = new byte[Long.BYTES];
            Bytes.putLong(bytes, 0, value);
            return bytes;
        }

        @Override
        public Long deserialize(byte[] bytes) {
            Bytes.requireLength(bytes, Long.BYTES, "Long");
            return Bytes.getLong(bytes, 0);
        }

        @Override
        public String typeName() {
            return "Long";
        }
    };

    private static final Serde<Integer> INTEGER = new Serde<>() {
        @Override
        public byte[] serialize(Integer value) {
            int v = value;
            return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        }

        @Override
        public Integer deserialize(byte[] bytes) {
            Bytes.requireLength(bytes, Integer.BYTES, "Integer");
            return ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
        }

        @Override
        public String typeName() {
            return "Integer";
        }
    };

    private static final Serde<Double> DOUBLE = new Serde<>() {
        @Override
        public byte[] serialize(Double value) {
            return LONG.serialize(Double.doubleToLongBits(value));
        }

        @Override
        public Double deserialize(byte[] bytes) {
            Bytes.requireLength(bytes, Long.BYTES, "Double");
            return Double.longBitsToDouble(Bytes.getLong(bytes, 0));
        }

        @Override
        public String typeName() {
            return "Double";
        }
    };

    private static final Serde<byte[]> BYTES = new Serde<>() {
        @Override
        public byte[] serialize(byte[] value) {
            return value;
        }

        @Override
        public byte[] deserialize(byte[] bytes) {
            return bytes;
        }

        @Override
        public String typeName() {
            return "byte[]";
        }
    };
}
