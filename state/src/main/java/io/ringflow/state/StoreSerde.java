package io.ringflow.state;

/**
 * Internal: wraps a serde so that every failure names the store, the role (key or value) and the
 * type: the error a user sees says which store could not read or write what.
 */
public final class StoreSerde<T> {

    private final Serde<T> serde;
    private final String store;
    private final String role;

    public StoreSerde(Serde<T> serde, String store, String role) {
        this.serde = serde;
        this.store = store;
        this.role = role;
    }

    public byte[] serialize(T value) {
        try {
            byte[] bytes = serde.serialize(value);
            if (bytes == null) {
                throw new IllegalArgumentException("the serde returned null");
            }
            return bytes;
        } catch (StateException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StateException("store '" + store + "': cannot serialize " + role + " of type "
                    + serde.typeName() + " (" + describe(value) + "): " + e.getMessage(), e);
        }
    }

    /** See {@link Serde#check}. */
    public void check(T value) {
        serde.check(value);
    }

    public T deserialize(byte[] bytes) {
        try {
            return serde.deserialize(bytes);
        } catch (StateException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StateException("store '" + store + "': cannot deserialize " + role + " of type "
                    + serde.typeName() + " from " + bytes.length + " bytes: " + e.getMessage()
                    + "; was the state written with another serde?", e);
        }
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
