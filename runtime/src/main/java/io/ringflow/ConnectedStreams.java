package io.ringflow;

import static io.ringflow.StreamBuilder.requireNonNull;

import io.ringflow.function.KeyedCoProcessFunction;
import io.ringflow.function.KeyedProcessFunction;
import io.ringflow.internal.graph.Node;
import io.ringflow.internal.graph.OperatorNode;
import io.ringflow.internal.operator.ProcessOperator;

/**
 * Two keyed streams with the same key type, connected so that one operator sees both
 * ({@link KeyedStream#connect}): each record goes to the shard that owns its key, whichever input
 * it is on. Process them with a {@link KeyedCoProcessFunction}.
 */
public final class ConnectedStreams<K, A, B> {

    private final StreamBuilder builder;
    private final Node first;
    private final Node second;

    ConnectedStreams(StreamBuilder builder, Node first, Node second) {
        this.builder = builder;
        this.first = first;
        this.second = second;
    }

    /**
     * Runs {@code function} on the records of both inputs, with the key's state and timers
     * shared between them. Cost: as a keyed {@code process} per record; a {@code keyBy} input
     * sends its records straight to this operator's shards, one hand-off as for any keyed
     * operator. Its state is in RocksDB unless the pipeline asks for the heap.
     */
    public <R> KeyedStream<K, R> process(KeyedCoProcessFunction<? super K, ? super A, ? super B, R> function) {
        return process(function, null);
    }

    public <R> KeyedStream<K, R> process(KeyedCoProcessFunction<? super K, ? super A, ? super B, R> function,
                                         Named named) {
        return process(function, named, Materialized.defaults());
    }

    /** Like {@link #process(KeyedCoProcessFunction)}, with the state's serdes or backend chosen by {@code materialized}. */
    public <R, S> KeyedStream<K, R> process(KeyedCoProcessFunction<? super K, ? super A, ? super B, R> function,
                                            Named named, Materialized<K, S> materialized) {
        requireNonNull(function, "process function");
        requireNonNull(materialized, "materialized");
        OperatorNode process = builder.addTwoInputOperator(first, second, "process", named, false,
                (c, next) -> ProcessOperator.twoInput(c, function, materialized, next));
        process.heapState(materialized.isInMemory());
        process.processingTimeIntervalMillis(2 * KeyedProcessFunction.PROCESSING_TIME_TICK_MILLIS);
        return new KeyedStream<>(builder, process);
    }
}
