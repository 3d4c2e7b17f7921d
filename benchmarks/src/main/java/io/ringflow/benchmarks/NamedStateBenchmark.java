package io.ringflow.benchmarks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ringflow.Materialized;
import io.ringflow.error.ErrorHandler;
import io.ringflow.function.KeyedProcessFunction;
import io.ringflow.function.ListStateSpec;
import io.ringflow.function.MapState;
import io.ringflow.function.MapStateSpec;
import io.ringflow.function.ValueState;
import io.ringflow.function.ValueStateSpec;
import io.ringflow.internal.metrics.PipelineMetrics;
import io.ringflow.internal.operator.OperatorContext;
import io.ringflow.internal.operator.ProcessOperator;
import io.ringflow.internal.operator.ShardClock;
import io.ringflow.state.StateBackend;
import io.ringflow.state.memory.InMemoryStateBackend;
import io.ringflow.state.rocksdb.RocksDbStateBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Records per second of one shard's keyed {@code process} operator whose function does one
 * named-state operation per record, {@value #KEYS} String keys visited in a fixed uniformly
 * random order, in batches of {@value #BATCH} followed by the {@code endOfBatch()} the shard
 * calls. The operator is driven directly (no ring, no thread), so the figure is the state's
 * cost plus the operator's call.
 *
 * <ul>
 *   <li>{@code value}: the unnamed {@code ctx.state()}, read and written (a running count): the
 *       baseline the named states are compared with.</li>
 *   <li>{@code named-value}: the same on a {@code ValueStateSpec}.</li>
 *   <li>{@code map-put-get}: {@code put} of one of 8 map keys, then {@code get} of another.</li>
 *   <li>{@code list-add}: {@code add} of one element: lists grow all the iteration long (to
 *       about a thousand elements per key), and each iteration starts with empty state, to show
 *       an add costs the same however long the list is.</li>
 * </ul>
 *
 * <p>{@code rocksdb}: the default backend (write-back cache of 100,000 entries);
 * {@code in-memory}: the heap.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class NamedStateBenchmark {

    static final int KEYS = 10_000;
    static final int BATCH = 64;

    private static final ValueStateSpec<Long> COUNT = ValueStateSpec.of("count", Long.class);
    private static final MapStateSpec<String, Long> POSITIONS = MapStateSpec.of("positions", String.class, Long.class);
    private static final ListStateSpec<Long> FILLS = ListStateSpec.of("fills", Long.class);
    private static final String[] SYMBOLS = {"AAPL", "MSFT", "GOOG", "AMZN", "META", "NVDA", "TSLA", "NFLX"};

    @Param({"value", "named-value", "map-put-get", "list-add"})
    public String operation;

    @Param({"rocksdb", "in-memory"})
    public String store;

    private String[] order;
    private int next;
    private long sequence;
    private final Long one = 1L;
    private Path directory;
    private StateBackend backend;
    private ProcessOperator operator;

    @Setup(Level.Trial)
    public void keys() {
        String[] keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "account-" + i;
        }
        SplittableRandom random = new SplittableRandom(42);
        order = new String[1 << 20];
        for (int i = 0; i < order.length; i++) {
            order[i] = keys[random.nextInt(KEYS)];
        }
    }

    /** Fresh state per iteration, so lists start empty and the heap holds one iteration's elements. */
    @Setup(Level.Iteration)
    public void open() throws IOException {
        directory = Files.createTempDirectory("ringflow-named-state-bench-");
        backend = store.equals("rocksdb") ? new RocksDbStateBackend(directory, 1, 256L << 20, 100_000)
                : new InMemoryStateBackend();
        PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry(), "bench");
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
        OperatorContext context = new OperatorContext("process", "process", 0, ErrorHandler.failPipeline(), stores,
                new ShardClock());
        operator = ProcessOperator.keyed(context, function(), Materialized.defaults(), (key, value, timestamp) -> {
        });
        operator.open();
    }

    private KeyedProcessFunction<String, Long, Long> function() {
        return switch (operation) {
            case "value" -> (value, ctx, out) -> {
                ValueState<Long> count = ctx.state();
                Long before = count.value();
                count.update(before == null ? value : before + value);
            };
            case "named-value" -> (value, ctx, out) -> {
                ValueState<Long> count = ctx.valueState(COUNT);
                Long before = count.value();
                count.update(before == null ? value : before + value);
            };
            case "map-put-get" -> (value, ctx, out) -> {
                MapState<String, Long> positions = ctx.mapState(POSITIONS);
                int symbol = (int) (sequence & 7);
                positions.put(SYMBOLS[symbol], sequence);
                Long other = positions.get(SYMBOLS[(symbol + 3) & 7]);
                if (other != null && other == -1) {
                    out.collect(other); // never: keeps the read
                }
            };
            case "list-add" -> (value, ctx, out) -> ctx.listState(FILLS).add(value);
            default -> throw new IllegalArgumentException("unknown operation " + operation);
        };
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        operator.close();
        backend.close();
        Directories.deleteTree(directory);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void batch() {
        for (int i = 0; i < BATCH; i++) {
            sequence++;
            operator.push(order[next], one, sequence);
            next = (next + 1) & (order.length - 1);
        }
        operator.endOfBatch();
    }
}
