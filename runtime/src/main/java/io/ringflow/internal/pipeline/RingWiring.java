package io.ringflow.internal.pipeline;

import io.ringflow.internal.graph.SinkNode;
import io.ringflow.internal.operator.Exchange;
import io.ringflow.internal.operator.Operator;
import io.ringflow.internal.operator.OperatorContext;
import io.ringflow.internal.operator.ShardClock;
import io.ringflow.internal.operator.SinkOperator;
import io.ringflow.internal.plan.Edge;
import io.ringflow.internal.plan.Wiring;

/** How one shard's chain reaches the next stages' rings (and its sinks), stamping what it sends with its clock. */
final class RingWiring implements Wiring {

    private final ShardRings rings;
    private final ReaderLayout layout;
    private final ShardClock clock;

    RingWiring(ShardRings rings, ReaderLayout layout, ShardClock clock) {
        this.rings = rings;
        this.layout = layout;
        this.clock = clock;
    }

    @Override
    public Exchange exchange(Edge edge, int upstreamShard) {
        return RingExchange.of(edge, upstreamShard, layout.firstInputOf(edge), rings.stage(edge.target().id()), clock);
    }

    @Override
    public Operator sink(OperatorContext context, SinkNode node) {
        return new SinkOperator(context, node.sink());
    }
}
