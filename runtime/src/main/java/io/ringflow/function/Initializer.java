package io.ringflow.function;

/** Creates the starting aggregate for a key seen for the first time; used by {@code aggregate}. */
@FunctionalInterface
public interface Initializer<A> {
    A apply() throws Exception;
}
