package io.ringflow.testing;

/** A value with its event timestamp (epoch milliseconds), as a sink received it. */
public record TestRecord<T>(T value, long timestamp) {
}
