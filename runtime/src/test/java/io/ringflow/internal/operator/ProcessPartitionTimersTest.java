package io.ringflow.internal.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ringflow.Materialized;
import io.ringflow.error.ErrorHandler;
import io.ringflow.function.Collector;
import io.ringflow.function.KeyedProcessFunction;
import io.ringflow.internal.metrics.PipelineMetrics;
import io.ringflow.state.StateBackend;
import io.ringflow.state.rocksdb.RocksDbStateBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With shared checkpoints a state partition moves between instances whole: its timers go with
 * its values. One keyed process on real RocksDB drops a partition (its timers no longer fire
 * here) and another instance adopts it from a checkpoint (they fire there), at the operator.
 */
class ProcessPartitionTimersTest {

    @TempDir
    Path directory;

    /** Registers an event-time timer at the record's value; a timer emits "key@time". */
    private static final KeyedProcessFunction<Object, Object, Object> TIMER_AT_VALUE = new KeyedProcessFunction<>() {
        @Override
        public void process(Object value, Context<Object> ctx, Collector<Object> out) {
            ctx.timers().registerEventTimeTimer(Long.parseLong((String) value));
            ctx.state().update("seen");
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext<Object> ctx, Collector<Object> out) {
            out.collect(ctx.key() + "@" + timestamp + " " + ctx.state().value());
        }
    };

    /** One shard's keyed process on {@code backend}, emitting into {@code out}, opened. */
    private static ProcessOperator operator(StateBackend backend, ShardClock clock, List<String> out) {
        return operator(backend, clock, out, false);
    }

    private static ProcessOperator operator(StateBackend backend, ShardClock clock, List<String> out,
                                            boolean partitionedTime) {
        PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry(), "handoff");
        OperatorContext.StateStores stores = new OperatorContext.StateStores() {
            @Override
            public StateBackend backend(String operator, boolean inMemory) {
                return backend;
            }

            @Override
            public PipelineMetrics metrics() {
                return metrics;
            }

            @Override
            public boolean partitionedEventTime() {
                return partitionedTime;
            }
        };
        OperatorContext context = new OperatorContext("process", "process", 0, ErrorHandler.failPipeline(), stores,
                clock);
        ProcessOperator operator = ProcessOperator.keyed(context, TIMER_AT_VALUE, Materialized.defaults(),
                (key, value, timestamp) -> out.add((String) value));
        operator.open();
        return operator;
    }

    private static void push(ProcessOperator operator, ShardClock clock, int partition, String key, long timer) {
        clock.partition = partition;
        operator.push(key, Long.toString(timer), 0);
    }

    @Test
    void aDroppedPartitionsTimersLeaveWithItAndFireWhereItIsAdopted() throws Exception {
        Path checkpoint = directory.resolve("chk");
        List<String> here = new ArrayList<>();
        try (RocksDbStateBackend owner = new RocksDbStateBackend(directory.resolve("owner"), 1, 16L << 20, 100)) {
            ShardClock clock = new ShardClock();
            ProcessOperator operator = operator(owner, clock, here);
            push(operator, clock, 3, "moving", 10);
            push(operator, clock, 0, "staying", 20);
            operator.flushState();
            Files.createDirectories(checkpoint);
            owner.checkpoint(checkpoint);
            push(operator, clock, 3, "after-the-checkpoint", 15);
            operator.dropPartition(3);
            operator.onWatermark(100);
            operator.close();
        }
        assertEquals(List.of("staying@20 seen"), here, "the dropped partition's timers fired here");

        List<String> there = new ArrayList<>();
        try (RocksDbStateBackend taker = new RocksDbStateBackend(directory.resolve("taker"), 1, 16L << 20, 100)) {
            ShardClock clock = new ShardClock();
            ProcessOperator operator = operator(taker, clock, there);
            operator.adoptPartition(3, checkpoint);
            operator.adoptPartition(5, null); // a partition no checkpoint held: starts empty
            operator.onWatermark(100);
            operator.close();
        }
        assertEquals(List.of("moving@10 seen"), there, "the adopted partition's timer, with its state, as checkpointed");
    }

    @Test
    void aRestartedOperatorFiresTheTimersItsStoresHoldWithNoNewRecord() {
        Path state = directory.resolve("state");
        try (RocksDbStateBackend backend = new RocksDbStateBackend(state, 1, 16L << 20, 100)) {
            ShardClock clock = new ShardClock();
            ProcessOperator operator = operator(backend, clock, new ArrayList<>());
            push(operator, clock, 2, "a", 30);
            push(operator, clock, 0, "b", 40);
            operator.close(); // writes the buffered timers through
        }
        List<String> out = new ArrayList<>();
        try (RocksDbStateBackend backend = new RocksDbStateBackend(state, 1, 16L << 20, 100)) {
            ShardClock clock = new ShardClock();
            ProcessOperator operator = operator(backend, clock, out);
            operator.onWatermark(35);
            operator.onWatermark(Long.MAX_VALUE);
            operator.close();
        }
        assertEquals(List.of("a@30 seen", "b@40 seen"), out);
    }

    /** With shared checkpoints each partition's timers fire on its own watermark, as its windows close. */
    @Test
    void withPartitionedEventTimeEachPartitionsTimersFireOnItsOwnWatermark() {
        List<String> out = new ArrayList<>();
        ShardClock clock = new ShardClock();
        ProcessOperator operator = operator(new io.ringflow.state.memory.InMemoryStateBackend(), clock, out, true);
        push(operator, clock, 1, "a", 10);
        push(operator, clock, 2, "b", 10);
        operator.onWatermark(50);
        assertEquals(List.of(), out, "the shard's watermark fires no partition's timers");
        operator.onPartitionWatermark(1, 10);
        operator.onPartitionWatermark(2, 9);
        assertEquals(List.of("a@10 seen"), out);
        operator.onWatermark(Long.MAX_VALUE); // the input ended: everything fires
        assertEquals(List.of("a@10 seen", "b@10 seen"), out);
        operator.close();
    }
}
