package io.ringflow.function;

import io.ringflow.state.Serde;

/**
 * A named {@link MapState}: a map per key, each entry stored on its own. Like Flink's
 * {@code MapStateDescriptor}; with a {@link Ttl}, each entry expires on its own.
 *
 * <pre>{@code
 * static final MapStateSpec<String, Double> POSITIONS = MapStateSpec.of("positions", String.class, Double.class);
 * // in process(...): ctx.mapState(POSITIONS).put(account, quantity);
 * }</pre>
 *
 * @param <K> the map's key type (not the stream's key)
 * @param <V> the map's value type
 */
public final class MapStateSpec<K, V> extends StateSpec {

    private final Serde<K> keySerde;
    private final Serde<V> valueSerde;

    private MapStateSpec(String name, Serde<K> keySerde, Serde<V> valueSerde, Ttl ttl) {
        super(name, ttl);
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
    }

    /** A map state of built-in key and value types (String, Long, Integer, Double, byte[]). */
    public static <K, V> MapStateSpec<K, V> of(String name, Class<K> keyType, Class<V> valueType) {
        return new MapStateSpec<>(name, builtIn(name, "map key", keyType), builtIn(name, "map value", valueType), null);
    }

    /**
     * A map state whose keys and values the serdes write. Entries iterate in the unsigned byte
     * order of the serialized map keys: choose the key serde for the order you want.
     */
    public static <K, V> MapStateSpec<K, V> of(String name, Serde<K> keySerde, Serde<V> valueSerde) {
        return new MapStateSpec<>(name, required(name, "map key", keySerde), required(name, "map value", valueSerde),
                null);
    }

    /** This spec, with each entry living {@code ttl} after its last write. */
    public MapStateSpec<K, V> withTtl(Ttl ttl) {
        return new MapStateSpec<>(name(), keySerde, valueSerde, requiredTtl(ttl));
    }

    /** The serde of the map's keys. */
    public Serde<K> keySerde() {
        return keySerde;
    }

    /** The serde of the map's values. */
    public Serde<V> valueSerde() {
        return valueSerde;
    }
}
