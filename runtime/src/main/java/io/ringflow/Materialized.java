package io.ringflow;

import io.ringflow.state.Serde;

/**
 * How a keyed operator keeps its state: which serdes turn keys and values into bytes, and
 * whether the store is in RocksDB (the default) or on the heap. Immutable.
 *
 * <pre>{@code
 * .aggregate(Vwap::new, (symbol, trade, vwap) -> vwap.add(trade), Named.as("vwap"),
 *            Materialized.with(Serdes.string(), vwapSerde))
 * }</pre>
 *
 * Without serdes, Ringflow infers them for String, Long, Integer, Double and byte[] (one
 * type-tag byte per key and value); any other type needs a serde, and the first record that
 * needs one fails with a message saying so.
 */
public final class Materialized<K, V> {

    private static final Materialized<Object, Object> DEFAULTS = new Materialized<>(null, null, false);

    private final Serde<K> keySerde;
    private final Serde<V> valueSerde;
    private final boolean inMemory;

    private Materialized(Serde<K> keySerde, Serde<V> valueSerde, boolean inMemory) {
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
        this.inMemory = inMemory;
    }

    /** Inferred serdes, in the pipeline's state backend (RocksDB unless configured otherwise). */
    @SuppressWarnings("unchecked")
    public static <K, V> Materialized<K, V> defaults() {
        return (Materialized<K, V>) DEFAULTS;
    }

    /** Declared serdes for keys and values. */
    public static <K, V> Materialized<K, V> with(Serde<K> keySerde, Serde<V> valueSerde) {
        if (keySerde == null || valueSerde == null) {
            throw new IllegalArgumentException("Materialized.with(...) needs both a key and a value serde");
        }
        return new Materialized<>(keySerde, valueSerde, false);
    }

    /** State on the heap: fastest, lost on stop, bounded only by the heap. */
    public static <K, V> Materialized<K, V> inMemory() {
        return new Materialized<>(null, null, true);
    }

    /** The same, kept on the heap instead of RocksDB. */
    public Materialized<K, V> withInMemoryStore() {
        return new Materialized<>(keySerde, valueSerde, true);
    }

    /** The declared key serde, or {@code null} to infer one. */
    public Serde<K> keySerde() {
        return keySerde;
    }

    /** The declared value serde, or {@code null} to infer one. */
    public Serde<V> valueSerde() {
        return valueSerde;
    }

    public boolean isInMemory() {
        return inMemory;
    }
}
