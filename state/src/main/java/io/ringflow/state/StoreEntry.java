package io.ringflow.state;

/** One entry of a store, as an iterator returns it. */
public record StoreEntry<K, V>(K key, V value) {
}
