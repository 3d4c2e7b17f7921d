package io.ringflow.internal.join;

import io.ringflow.Materialized;
import io.ringflow.function.ValueJoiner;
import io.ringflow.state.Serde;

/**
 * What an interval join's DSL call fixed: a left record at {@code t} joins the right records of
 * its key in {@code [t - before, t + after]} (milliseconds, both at least 0).
 *
 * @param leftSerde  the left values' serde; {@code null}: inferred from their type
 * @param rightSerde the right values'
 */
public record JoinSpec(JoinType type, long before, long after, ValueJoiner<Object, Object, Object> joiner,
                       Materialized<?, ?> materialized, Serde<?> leftSerde, Serde<?> rightSerde) {
}
