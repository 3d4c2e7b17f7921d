package io.ringflow.internal.plan;

import io.ringflow.internal.graph.SinkNode;
import io.ringflow.internal.operator.Exchange;
import io.ringflow.internal.operator.Operator;
import io.ringflow.internal.operator.OperatorContext;

/**
 * What differs between the threaded pipeline and the single-threaded test driver when a
 * shard's chain is built: how records cross to the next stage, and where sinks write.
 */
public interface Wiring {

    /** The crossing over {@code edge} as seen from upstream shard {@code shard}. */
    Exchange exchange(Edge edge, int shard);

    /** The operator that ends a chain at {@code node}. */
    Operator sink(OperatorContext context, SinkNode node);
}
