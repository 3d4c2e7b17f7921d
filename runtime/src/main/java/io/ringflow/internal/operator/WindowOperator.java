package io.ringflow.internal.operator;

import io.ringflow.KeyValue;
import io.ringflow.Materialized;
import io.ringflow.OutputTag;
import io.ringflow.error.RecordProcessingException;
import io.ringflow.internal.PipelineAbortedException;
import io.ringflow.state.InferredSerde;
import io.ringflow.state.Serde;
import io.ringflow.state.WindowStore;
import io.ringflow.watermark.Watermarks;
import io.ringflow.windowing.EmitStrategy;
import io.ringflow.windowing.WindowSpec;
import io.ringflow.windowing.WindowStores;
import io.ringflow.windowing.Windowed;
import io.ringflow.windowing.WindowedAggregation;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;

/**
 * One shard's windowed aggregation: records are judged against the shard's watermark, results
 * leave keyed by {@link Windowed}, late records are counted and go to the late-record sink and
 * the stream of late records if the topology has them.
 */
public final class WindowOperator extends Operator {

    /** Name of the late-record counter, as reported by the pipeline. */
    public static final String LATE_RECORDS = "late-records";

    private final WindowSpec windows;
    private final EmitStrategy emit;
    private final WindowedAggregation.Aggregate<Object, Object, Object> aggregate;
    private final Materialized<?, ?> materialized;
    private final Serde<?> defaultValueSerde;
    private final Output next;
    /** The tag of the stream of late records ({@code sideOutputLateData}); {@code null} if none. */
    private final OutputTag<?> lateDataTag;
    /** Each state partition's windows: its own store and aggregation, so the partition can move alone. */
    private PartitionedState<PartitionWindows> partitions;
    private LongAdder late;
    /** The last processing time seen, so a partition opened later starts its emit interval from it. */
    private long lastProcessingTime = Long.MIN_VALUE;

    /** Whether windows close on their partition's own watermark (shared checkpoints) rather than the shard's. */
    private boolean partitionedTime;

    /** One state partition's windows on this shard. */
    private static final class PartitionWindows {
        final WindowedAggregation<Object, Object, Object> aggregation;
        final WindowStore<Object, ?> store;
        /** With partitioned event time: the partition's watermark as this operator last applied it. */
        long watermark = Watermarks.NONE;

        PartitionWindows(WindowedAggregation<Object, Object, Object> aggregation, WindowStore<Object, ?> store) {
            this.aggregation = aggregation;
            this.store = store;
        }
    }

    /**
     * Opens one state partition's store for the aggregation the window spec makes, with the
     * value serde the topology chose, and keeps it so the operator can close it.
     */
    private final class PartitionStore implements WindowStores<Object, Object> {
        private final int partition;
        /** Materialized's value serde, else the operation's own (count's longs), else one that tags each value's type. */
        private final Serde<Object> aggregateSerde;
        private WindowStore<Object, ?> opened;

        @SuppressWarnings("unchecked")
        PartitionStore(int partition) {
            this.partition = partition;
            this.aggregateSerde = materialized.valueSerde() != null ? (Serde<Object>) materialized.valueSerde()
                    : defaultValueSerde != null ? (Serde<Object>) defaultValueSerde
                    : new InferredSerde<>(context.name(), "value");
        }

        @Override
        public Serde<Object> aggregateSerde() {
            return aggregateSerde;
        }

        @Override
        public <S> WindowStore<Object, S> open(Serde<S> valueSerde) {
            if (opened != null) {
                throw new IllegalStateException("window '" + context.name() + "': partition " + partition
                        + "'s store is open already; a window spec's aggregation opens one store");
            }
            WindowStore<Object, S> store = context.windowStore(materialized, valueSerde, partition);
            opened = store;
            return store;
        }
    }

    /** @param lateDataTag the tag late records are taken by as a stream, or {@code null} */
    public WindowOperator(OperatorContext context, WindowSpec windows, EmitStrategy emit,
                          WindowedAggregation.Aggregate<Object, Object, Object> aggregate,
                          Materialized<?, ?> materialized, Serde<?> defaultValueSerde, OutputTag<?> lateDataTag,
                          Output next) {
        super(context);
        this.lateDataTag = lateDataTag;
        this.windows = windows;
        this.emit = emit;
        this.aggregate = aggregate;
        this.materialized = materialized;
        this.defaultValueSerde = defaultValueSerde;
        this.next = next;
    }

    @Override
    public void open() {
        late = context.counter(LATE_RECORDS);
        partitionedTime = context.partitionedEventTime();
        partitions = new PartitionedState<>(this::openPartition);
        // Windows restored from a checkpoint must close on the watermark even if their
        // partition sends nothing more.
        for (int partition : context.storedPartitions(materialized)) {
            partitions.get(partition);
        }
    }

    private PartitionWindows openPartition(int partition) {
        PartitionStore store = new PartitionStore(partition);
        WindowedAggregation<Object, Object, Object> aggregation =
                windows.newAggregation(emit, store, aggregate, results(), lateRecords());
        PartitionWindows opened = new PartitionWindows(aggregation, store.opened);
        if (lastProcessingTime != Long.MIN_VALUE) {
            opened.aggregation.onProcessingTime(lastProcessingTime);
        }
        return opened;
    }

    /** Results leave keyed by their window, so a key's results for different windows stay apart. */
    private WindowedAggregation.Results<Object, Object> results() {
        return (key, window, value, timestamp) -> next.push(new Windowed<>(key, window), value, timestamp);
    }

    /**
     * A late record is counted, written to the late-record sink as key and value if the
     * topology has one, and pushed with its key into the stream of late records if one was taken.
     */
    private WindowedAggregation.LateRecords<Object, Object> lateRecords() {
        Output side = context.sideOutput();
        Output stream = lateDataTag == null ? null : context.sideOutputs().outputOf(lateDataTag);
        return (key, value, timestamp) -> {
            late.increment();
            if (side != null) {
                side.push(key, new KeyValue<>(key, value), timestamp);
            }
            if (stream != null) {
                stream.push(key, value, timestamp);
            }
        };
    }

    @Override
    protected void process(Object key, Object value, long timestamp) {
        try {
            ShardClock clock = context.clock();
            PartitionWindows windows = partitions.get(clock.partition);
            if (!partitionedTime) {
                windows.aggregation.onRecord(key, value, timestamp, Math.max(clock.watermark, clock.recordWatermark));
                return;
            }
            // Judged against its partition's watermark before it, as records are against the shard's.
            windows.aggregation.onRecord(key, value, timestamp, windows.watermark);
        } catch (RecordProcessingException | PipelineAbortedException downstream) {
            throw downstream;
        } catch (Exception e) {
            context.recordFailure(key, value, timestamp, e);
        }
    }

    /** Partitioned event time: closes the partition's complete windows, here whichever of its keys this shard holds. */
    @Override
    public void onPartitionWatermark(int partition, long watermark) {
        if (!partitionedTime) {
            return;
        }
        PartitionWindows windows = partitions.get(partition);
        if (watermark > windows.watermark) {
            windows.watermark = watermark;
            context.clock().partition = partition;
            windows.aggregation.onWatermark(watermark);
        }
    }

    /** Closes each partition's complete windows; what they emit belongs to that partition. */
    @Override
    public void onWatermark(long watermark) {
        if (partitionedTime && watermark != Long.MAX_VALUE) {
            return; // each partition's windows close on its own records' watermark; input that ended closes all
        }
        ShardClock clock = context.clock();
        for (int partition = 0; partition < partitions.bound(); partition++) {
            PartitionWindows windows = partitions.opened(partition);
            if (windows != null) {
                clock.partition = partition;
                windows.aggregation.onWatermark(watermark);
            }
        }
    }

    @Override
    public void onProcessingTime(long nowMillis) {
        lastProcessingTime = nowMillis;
        ShardClock clock = context.clock();
        for (int partition = 0; partition < partitions.bound(); partition++) {
            PartitionWindows windows = partitions.opened(partition);
            if (windows != null) {
                clock.partition = partition;
                windows.aggregation.onProcessingTime(nowMillis);
            }
        }
    }

    @Override
    public void dropPartition(int partition) {
        partitions.remove(partition);
        context.dropPartition(materialized, partition);
    }

    @Override
    public void adoptPartition(int partition, Path checkpoint) {
        partitions.remove(partition);
        context.adoptPartition(materialized, partition, checkpoint);
        if (checkpoint != null) {
            partitions.get(partition); // opened now: its open windows close on the next watermark, records or not
        }
    }

    @Override
    public void close() {
        if (partitions != null) {
            partitions.forEach((windows, partition) -> windows.store.close());
        }
    }
}
