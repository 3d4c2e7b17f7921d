package io.ringflow.internal.join;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ringflow.Materialized;
import io.ringflow.error.ErrorHandler;
import io.ringflow.internal.metrics.PipelineMetrics;
import io.ringflow.internal.operator.OperatorContext;
import io.ringflow.internal.operator.ShardClock;
import io.ringflow.state.StateBackend;
import io.ringflow.state.memory.InMemoryStateBackend;
import org.junit.jupiter.api.Test;

/** What the as-of join operator refuses, on its own. */
class AsOfJoinOperatorTest {

    /**
     * With shared checkpoints each state partition keeps its own event time; the join releases
     * on the shard's watermark, so it would release differently on another instance: refused.
     */
    @Test
    void partitionedEventTimeIsRefusedWhenTheOperatorOpens() {
        StateBackend heap = new InMemoryStateBackend();
        PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry(), "t");
        OperatorContext.StateStores stores = new OperatorContext.StateStores() {
            @Override
            public StateBackend backend(String operator, boolean inMemory) {
                return heap;
            }

            @Override
            public PipelineMetrics metrics() {
                return metrics;
            }

            @Override
            public boolean partitionedEventTime() {
                return true;
            }
        };
        OperatorContext context = new OperatorContext("price", "as-of-join", 0, ErrorHandler.failPipeline(), stores,
                new ShardClock());
        AsOfJoinOperator join = new AsOfJoinOperator(context, (a, b) -> a, false, 1_000, Materialized.defaults(),
                Materialized.defaults(), (key, value, timestamp) -> { });
        IllegalStateException error = assertThrows(IllegalStateException.class, join::open);
        String message = error.getMessage();
        assertTrue(message.contains("as-of-join 'price'") && message.contains("shared checkpoints"), message);
    }
}
