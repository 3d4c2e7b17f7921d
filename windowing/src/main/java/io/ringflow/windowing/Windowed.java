package io.ringflow.windowing;

/**
 * The key of a windowed result: the record key and the window it is the result of, so a
 * key's results for different windows are told apart downstream.
 */
public record Windowed<K>(K key, Window window) {

    @Override
    public String toString() {
        return key + "@" + window;
    }
}
