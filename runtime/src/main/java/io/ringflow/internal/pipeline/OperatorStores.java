package io.ringflow.internal.pipeline;

import io.ringflow.internal.metrics.PipelineMetrics;
import io.ringflow.internal.operator.OperatorContext;
import io.ringflow.internal.operator.WindowOperator;
import io.ringflow.state.StateBackend;
import java.util.concurrent.atomic.LongAdder;

/** What the pipeline gives each operator for its state and meters, shared by every shard's chain. */
final class OperatorStores implements OperatorContext.StateStores {

    private final PipelineState state;
    private final PipelineMetrics metrics;
    private final boolean partitionedEventTime;

    OperatorStores(PipelineState state, PipelineMetrics metrics, boolean partitionedEventTime) {
        this.state = state;
        this.metrics = metrics;
        this.partitionedEventTime = partitionedEventTime;
    }

    @Override
    public StateBackend backend(String operator, boolean inMemory) {
        return state.backend(inMemory);
    }

    @Override
    public PipelineMetrics metrics() {
        return metrics;
    }

    @Override
    public LongAdder counter(String operator, String metric) {
        return metrics.operatorCounter(operator, metric, WindowOperator.LATE_RECORDS);
    }

    @Override
    public boolean partitionedEventTime() {
        return partitionedEventTime;
    }
}
