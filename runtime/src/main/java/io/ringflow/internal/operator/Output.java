package io.ringflow.internal.operator;

/**
 * Where an operator pushes its results: the next operator of the fused chain, a fan-out, an
 * exchange to the next stage, or a sink. A push runs everything downstream in the same
 * stage before it returns. {@code key} is {@code null} on an unkeyed stream.
 */
@FunctionalInterface
public interface Output {
    void push(Object key, Object value, long timestamp);
}
