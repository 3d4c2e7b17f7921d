package io.ringflow;

/**
 * A key and a value, as produced by a keyed operator: for example a word and its running
 * count. Equal when both parts are equal.
 */
public record KeyValue<K, V>(K key, V value) {

    public static <K, V> KeyValue<K, V> of(K key, V value) {
        return new KeyValue<>(key, value);
    }

    @Override
    public String toString() {
        return key + "=" + value;
    }
}
