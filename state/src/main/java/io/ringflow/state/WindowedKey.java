package io.ringflow.state;

/** A key together with the start of one of its windows (epoch milliseconds). */
public record WindowedKey<K>(K key, long windowStart) {
}
