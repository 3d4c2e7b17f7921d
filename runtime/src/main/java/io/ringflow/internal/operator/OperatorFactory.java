package io.ringflow.internal.operator;

/** Creates one shard's instance of an operator, pushing into {@code next}. */
@FunctionalInterface
public interface OperatorFactory {
    Operator create(OperatorContext context, Output next);
}
