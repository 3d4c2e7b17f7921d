package io.ringflow.function;

/**
 * Combines the values of a join's two sides into its result, as Kafka Streams' {@code ValueJoiner}.
 * In an outer or left join the missing side is {@code null}. Called once per result, on the shard
 * of the key; it must not keep mutable fields (one instance serves every shard).
 */
@FunctionalInterface
public interface ValueJoiner<A, B, R> {

    R apply(A left, B right) throws Exception;
}
