package io.ringflow.internal.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ringflow.OutputTag;
import io.ringflow.error.ErrorHandler;
import io.ringflow.function.ProcessFunction;
import io.ringflow.internal.metrics.PipelineMetrics;
import io.ringflow.state.StateBackend;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hot-path rule for side outputs: a record routed to a side output by a {@code process}
 * allocates nothing in the runtime (no boxing, no lambda, no iterator), measured as the bytes
 * the calling thread allocates over many records.
 */
class SideOutputAllocationTest {

    private static final OutputTag<String> LOW = OutputTag.of("low", String.class);
    private static final OutputTag<String> HIGH = OutputTag.of("high", String.class);
    private static final int RECORDS = 200_000;

    /** Counts what reaches it; a field, so the counting allocates nothing either. */
    private static final class Count implements Output {
        long records;

        @Override
        public void push(Object key, Object value, long timestamp) {
            records++;
        }
    }

    @Test
    void routingRecordsToSideOutputsAllocatesNothingPerRecord() {
        Count main = new Count();
        Count low = new Count();
        Count high = new Count();
        PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry(), "allocation");
        OperatorContext context = new OperatorContext("split", "process", 0, ErrorHandler.failPipeline(),
                new OperatorContext.StateStores() {
                    @Override
                    public StateBackend backend(String operator, boolean inMemory) {
                        throw new UnsupportedOperationException("an unkeyed process has no state");
                    }

                    @Override
                    public PipelineMetrics metrics() {
                        return metrics;
                    }
                }, new ShardClock());
        // The last tag of the scan is routed by name, not identity: an equal tag made elsewhere.
        context.sideOutputs(SideOutputs.of(List.of(LOW, OutputTag.of("high", String.class)), List.of(low, high)));
        ProcessFunction<String, String> split = (value, ctx, out) -> {
            if (value.length() == 1) {
                out.collect(value);
            } else if (value.length() == 2) {
                ctx.output(LOW, value);
            } else {
                ctx.output(HIGH, value);
            }
        };
        ProcessOperator operator = ProcessOperator.unkeyed(context, split, main);
        operator.open();
        String[] values = {"a", "bb", "ccc", "dddd"};
        push(operator, values); // warm up, so the JIT has compiled what is measured
        long before = allocatedBytes();
        push(operator, values);
        long allocated = allocatedBytes() - before;
        assertEquals(2L * RECORDS / 4, main.records);
        assertEquals(2L * RECORDS / 4, low.records);
        assertEquals(2L * RECORDS / 2, high.records);
        // One byte per record would already be 200 KB; what is left is the measurement's own noise.
        assertTrue(allocated < 16 * 1024, allocated + " bytes allocated for " + RECORDS + " records");
    }

    /**
     * The calling thread's allocated bytes (HotSpot's ThreadMXBean). By reflection: the tests
     * compile inside the runtime's module, which does not read java.management, and run on the
     * class path, where the bean is there to call.
     */
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

    private static void push(ProcessOperator operator, String[] values) {
        for (int i = 0; i < RECORDS; i++) {
            operator.push(null, values[i & 3], i);
        }
    }
}
