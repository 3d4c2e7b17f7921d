package io.ringflow.internal.join;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ringflow.Materialized;
import io.ringflow.error.ErrorHandler;
import io.ringflow.function.KeySelector;
import io.ringflow.function.MapFunction;
import io.ringflow.function.ValueJoiner;
import io.ringflow.internal.metrics.PipelineMetrics;
import io.ringflow.internal.operator.Operator;
import io.ringflow.internal.operator.OperatorContext;
import io.ringflow.internal.operator.Output;
import io.ringflow.internal.operator.ShardClock;
import io.ringflow.internal.operator.TwoInputOperator;
import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.KeyValueStore;
import io.ringflow.state.Serdes;
import io.ringflow.state.StateBackend;
import io.ringflow.state.rocksdb.RocksDbStateBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When keyed state partitions move between instances (shared checkpoints), a stream-table join's
 * table moves with its partition, and a global table stays whole where it is: on real RocksDB, at
 * the operator, as the partition hand-off drives it.
 */
class JoinPartitionMovesTest {

    private static final ValueJoiner<Object, Object, Object> JOINER = (order, value) -> order + "=" + value;
    private static final MapFunction<Object, Object> SAME = value -> value;
    private static final KeySelector<Object, Object> ORDER_CURRENCY = order -> order;
    private static final KeySelector<Object, Object> CURRENCY = record -> ((String) record).split(":")[0];
    private static final MapFunction<Object, Object> RATE = record -> ((String) record).split(":")[1];

    @TempDir
    Path directory;

    private static OperatorContext context(StateBackend backend, ShardClock clock) {
        PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry(), "moves");
        OperatorContext.StateStores stores = new OperatorContext.StateStores() {
            @Override
            public StateBackend backend(String operator, boolean inMemory) {
                return backend;
            }

            @Override
            public PipelineMetrics metrics() {
                return metrics;
            }
        };
        return new OperatorContext("join", "leftJoin", 0, ErrorHandler.failPipeline(), stores, clock);
    }

    private static Output collect(List<String> out) {
        return (key, value, timestamp) -> out.add((String) value);
    }

    /** Pushes {@code value} into input {@code side} of {@code operator}, in state partition {@code partition}. */
    private static void push(Operator operator, ShardClock clock, int side, int partition, String key, String value) {
        clock.partition = partition;
        ((TwoInputOperator) operator).input(side).push(key, value, 0);
    }

    @Test
    void aDroppedPartitionTakesItsTableAndAnAdoptedOneBringsItsCheckpointedTable() throws Exception {
        Path checkpoint = directory.resolve("chk");
        List<String> here = new ArrayList<>();
        try (RocksDbStateBackend owner = new RocksDbStateBackend(directory.resolve("owner"), 1, 16L << 20, 100)) {
            ShardClock clock = new ShardClock();
            Operator join = new StreamTableJoinOperator(context(owner, clock), JOINER, SAME, true,
                    Materialized.defaults(), collect(here));
            join.open();
            push(join, clock, 1, 3, "moving", "p1");
            push(join, clock, 1, 0, "staying", "p2");
            join.flushState();
            Files.createDirectories(checkpoint);
            owner.checkpoint(checkpoint);
            push(join, clock, 1, 3, "moving", "after-the-checkpoint");
            join.dropPartition(3);
            push(join, clock, 0, 3, "moving", "t1");
            push(join, clock, 0, 0, "staying", "t2");
            join.close();
        }
        assertEquals(List.of("t1=null", "t2=p2"), here, "the dropped partition's table left with it");

        List<String> there = new ArrayList<>();
        try (RocksDbStateBackend taker = new RocksDbStateBackend(directory.resolve("taker"), 1, 16L << 20, 100)) {
            ShardClock clock = new ShardClock();
            Operator join = new StreamTableJoinOperator(context(taker, clock), JOINER, SAME, true,
                    Materialized.defaults(), collect(there));
            join.open();
            join.adoptPartition(3, checkpoint);
            push(join, clock, 0, 3, "moving", "t3");
            join.close();
        }
        assertEquals(List.of("t3=p1"), there, "the adopted partition's table, as checkpointed");
    }

    /** A tombstone deletes its key from RocksDB: after 1,000 keys and 990 deletes, 10 entries are left. */
    @Test
    void tombstonesLeaveNothingOfTheirKeysInTheStore() throws Exception {
        Path state = directory.resolve("tombstones");
        try (RocksDbStateBackend backend = new RocksDbStateBackend(state, 1, 16L << 20, 100)) {
            ShardClock clock = new ShardClock();
            Operator join = new StreamTableJoinOperator(context(backend, clock), JOINER,
                    record -> record.equals("-") ? null : record, false, Materialized.defaults(),
                    collect(new ArrayList<>()));
            join.open();
            for (int k = 0; k < 1_000; k++) {
                push(join, clock, 1, 0, "k" + k, "p" + k);
            }
            join.endOfBatch();
            for (int k = 10; k < 1_000; k++) {
                push(join, clock, 1, 0, "k" + k, "-");
            }
            join.close();
        }
        try (RocksDbStateBackend backend = new RocksDbStateBackend(state, 1, 16L << 20, 0)) {
            KeyValueStore<String, String> store = backend.keyValueStore(0, "join", Serdes.string(), Serdes.string());
            List<String> left = new ArrayList<>();
            try (KeyValueIterator<String, String> entries = store.all()) {
                entries.forEachRemaining(entry -> left.add(entry.key() + "=" + entry.value()));
            }
            assertEquals(10, left.size(), left.toString());
            store.close();
        }
    }

    @Test
    void aGlobalTableIsNeitherDroppedNorReplacedWhenPartitionsMove() throws Exception {
        List<String> out = new ArrayList<>();
        Path state = directory.resolve("global");
        try (RocksDbStateBackend backend = new RocksDbStateBackend(state, 1, 16L << 20, 100)) {
            ShardClock clock = new ShardClock();
            Operator join = new GlobalTableJoinOperator(context(backend, clock), JOINER, ORDER_CURRENCY, CURRENCY, RATE,
                    true, Materialized.defaults(), collect(out));
            join.open();
            push(join, clock, 1, 0, null, "EUR:1.1");
            push(join, clock, 1, 3, null, "GBP:1.3"); // a table record from another partition of the table's topic
            join.flushState();
            for (int partition = 0; partition < 4; partition++) {
                join.dropPartition(partition);
                join.adoptPartition(partition, null); // a partition arriving with no state at all
            }
            push(join, clock, 0, 0, "o1", "EUR");
            push(join, clock, 0, 3, "o2", "GBP");
            push(join, clock, 0, 5, "o3", "JPY");
            join.close();
        }
        assertEquals(List.of("EUR=1.1", "GBP=1.3", "JPY=null"), out);
    }
}
