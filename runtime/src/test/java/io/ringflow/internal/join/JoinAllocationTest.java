package io.ringflow.internal.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ringflow.Materialized;
import io.ringflow.error.ErrorHandler;
import io.ringflow.function.ValueJoiner;
import io.ringflow.internal.metrics.PipelineMetrics;
import io.ringflow.internal.operator.OperatorContext;
import io.ringflow.internal.operator.Output;
import io.ringflow.internal.operator.ShardClock;
import io.ringflow.internal.operator.TwoInputOperator;
import io.ringflow.state.StateBackend;
import io.ringflow.state.memory.InMemoryStateBackend;
import org.junit.jupiter.api.Test;

/**
 * The hot-path rule for the table joins: a stream record joined with a table value, and a table
 * update, allocate nothing in the operator (on the heap store, with a joiner that allocates
 * nothing itself), measured as the bytes the calling thread allocates over many records.
 */
class JoinAllocationTest {

    private static final int RECORDS = 200_000;
    private static final int KEYS = 64;
    private static final ValueJoiner<Object, Object, Object> TABLE_VALUE = (trade, price) -> price;

    /** Counts what reaches it; a field, so the counting allocates nothing either. */
    private static final class Count implements Output {
        long records;

        @Override
        public void push(Object key, Object value, long timestamp) {
            records++;
        }
    }

    private static OperatorContext context() {
        StateBackend heap = new InMemoryStateBackend();
        PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry(), "allocation");
        return new OperatorContext("join", "join", 0, ErrorHandler.failPipeline(), new OperatorContext.StateStores() {
            @Override
            public StateBackend backend(String operator, boolean inMemory) {
                return heap;
            }

            @Override
            public PipelineMetrics metrics() {
                return metrics;
            }
        }, new ShardClock());
    }

    @Test
    void aStreamTableJoinAllocatesNothingPerRecord() {
        Count out = new Count();
        StreamTableJoinOperator join = new StreamTableJoinOperator(context(), TABLE_VALUE, null, false,
                Materialized.defaults(), out);
        assertNoAllocation(join, out);
    }

    @Test
    void aGlobalTableJoinAllocatesNothingPerRecord() {
        Count out = new Count();
        GlobalTableJoinOperator join = new GlobalTableJoinOperator(context(), TABLE_VALUE, trade -> trade,
                price -> price, price -> price, false, Materialized.defaults(), out);
        assertNoAllocation(join, out);
    }

    private static void assertNoAllocation(
            TwoInputOperator join, Count out) {
        join.open();
        String[] keys = new String[KEYS];
        for (int k = 0; k < KEYS; k++) {
            keys[k] = "k" + k;
            join.input(1).push(keys[k], keys[k], 0);
        }
        run(join, keys); // warm up, so the JIT has compiled what is measured
        long before = allocatedBytes();
        run(join, keys);
        long allocated = allocatedBytes() - before;
        assertEquals(2L * RECORDS, out.records, "every stream record joined");
        // One byte per record would already be 400 KB; what is left is the measurement's own noise.
        assertTrue(allocated < 16 * 1024, allocated + " bytes allocated for " + 2 * RECORDS + " records");
    }

    /** {@link #RECORDS} stream records and as many table updates, in batches of 64. */
    private static void run(TwoInputOperator join, String[] keys) {
        Output trades = join.input(0);
        Output prices = join.input(1);
        for (int i = 0; i < RECORDS; i++) {
            String key = keys[i & (KEYS - 1)];
            trades.push(key, key, i);
            prices.push(key, key, i);
            if ((i & 63) == 63) {
                join.endOfBatch();
            }
        }
    }

    private static long allocatedBytes() {
        try {
            Object threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                    .invoke(null);
            return (Long) Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes")
                    .invoke(threads);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("this JVM cannot tell a thread's allocated bytes", e);
        }
    }
}
