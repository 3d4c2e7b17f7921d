package io.ringflow.internal.join;

import io.ringflow.Materialized;
import io.ringflow.error.RecordProcessingException;
import io.ringflow.function.ValueJoiner;
import io.ringflow.internal.PipelineAbortedException;
import io.ringflow.internal.operator.OperatorContext;
import io.ringflow.internal.operator.Output;
import io.ringflow.internal.operator.Operator;
import io.ringflow.internal.operator.PartitionedState;
import io.ringflow.internal.operator.ShardClock;
import io.ringflow.internal.operator.TwoInputOperator;
import io.ringflow.internal.operator.WindowOperator;
import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.StoreEntry;
import io.ringflow.state.WindowedKey;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The as-of join of a keyed stream (input 0) with a versioned table (input 1) on event time.
 *
 * <p>A table record is a version of its key, valid from its timestamp ({@code null}: a
 * tombstone). A stream record waits in state until the operator's watermark (the minimum of both
 * inputs') passes its timestamp, so every version up to it is in; then it is joined with the
 * version valid at its timestamp (the greatest {@code validFrom <= timestamp}) and leaves with its
 * own timestamp, carrying the watermark from before the advance, as a timer's output does. So
 * the result does not depend on which input's records came first.
 *
 * <p>Late input, behind the watermark {@code W} on arrival, is counted in
 * {@code ringflow.records.late}: a stream record is joined at once with the version valid at its
 * timestamp as the table then stands, a table version is added (records still waiting see it);
 * either is dropped instead when it is older than {@code W - history}, where history may already
 * be gone. On each advance, versions no read at or after {@code W - history} can see are expired.
 *
 * <p>Cost per stream record: one read and one write of its (key, timestamp) entry, and when it
 * leaves one versioned read; per table record one versioned write. Nothing else per record.
 */
public final class AsOfJoinOperator extends TwoInputOperator {

    /** Suffix of the versions' store after the partition's store name. */
    public static final String VERSIONS = ".versions";

    private final ValueJoiner<Object, Object, Object> joiner;
    private final boolean leftJoin;
    private final long historyMillis;
    private final Materialized<?, ?> streamState;
    private final Materialized<?, ?> tableState;
    private final Output next;
    /** The clock as an advance found it, while the records it releases are joined. */
    private final ShardClock.Saved saved = new ShardClock.Saved();
    private PartitionedState<AsOfPartition> partitions;
    private LongAdder late;
    /** The watermark as this operator last applied it. */
    private long watermark;

    @SuppressWarnings("unchecked")
    public AsOfJoinOperator(OperatorContext context, ValueJoiner<?, ?, ?> joiner, boolean leftJoin, long historyMillis,
                            Materialized<?, ?> streamState, Materialized<?, ?> tableState, Output next) {
        super(context);
        this.joiner = (ValueJoiner<Object, Object, Object>) joiner;
        this.leftJoin = leftJoin;
        this.historyMillis = historyMillis;
        this.streamState = streamState;
        this.tableState = tableState;
        this.next = next;
    }

    @Override
    public void open() {
        if (context.partitionedEventTime()) {
            throw new IllegalStateException(context.kind() + " '" + context.name() + "' runs on the shard's"
                    + " watermark and cannot keep each state partition's own event time; run it without"
                    + " shared checkpoints");
        }
        late = context.counter(WindowOperator.LATE_RECORDS);
        watermark = context.clock().watermark;
        partitions = new PartitionedState<>(this::openPartition);
        // Records restored from a checkpoint must leave on the watermark even if their partition sends nothing more.
        for (int partition : context.storedPartitions(streamState)) {
            partitions.get(partition);
        }
    }

    private AsOfPartition openPartition(int partition) {
        return AsOfPartition.open(context, streamState, tableState, VERSIONS, partition);
    }

    /** A stream record: waits for the watermark, or if late is joined now or dropped, and counted. */
    @Override
    protected void process(Object key, Object value, long timestamp) {
        ShardClock clock = context.clock();
        try {
            AsOfPartition partition = partitions.get(clock.partition);
            if (timestamp >= clock.watermark) {
                partition.await(key, value, timestamp);
                return;
            }
            late.increment();
            if (timestamp >= expiryBound(clock.watermark)) {
                joinLate(partition, key, value, timestamp, clock);
            }
        } catch (RecordProcessingException | PipelineAbortedException fromDownstream) {
            throw fromDownstream;
        } catch (Exception e) {
            context.recordFailure(key, value, timestamp, e);
        }
    }

    /**
     * Joins a late record at once. Its output carries the watermark from before this record, and
     * the shard forwards the advance right after: records that the advance releases must reach
     * the next stage ahead of it.
     */
    private void joinLate(AsOfPartition partition, Object key, Object value, long timestamp, ShardClock clock)
            throws Exception {
        long outgoing = clock.outgoingWatermark;
        if (outgoing > clock.watermark) {
            clock.outgoingWatermark = clock.watermark;
            clock.watermarkHeldBack = true;
        }
        try {
            join(partition, key, value, timestamp);
        } finally {
            clock.outgoingWatermark = outgoing;
        }
    }

    private void join(AsOfPartition partition, Object key, Object value, long timestamp) throws Exception {
        Object version = partition.versions.get(key, timestamp);
        if (version != null || leftJoin) {
            next.push(key, joiner.apply(value, version), timestamp);
        }
    }

    /** A table record: a version of its key from its timestamp; dropped, and counted, when behind the history. */
    @Override
    protected void processSecond(Object key, Object value, long timestamp) {
        ShardClock clock = context.clock();
        try {
            if (timestamp < clock.watermark) {
                late.increment();
                if (timestamp < expiryBound(clock.watermark)) {
                    return;
                }
            }
            partitions.get(clock.partition).versions.put(key, value, timestamp);
        } catch (RecordProcessingException | PipelineAbortedException fromDownstream) {
            throw fromDownstream;
        } catch (RuntimeException e) {
            context.recordFailure(key, value, timestamp, e);
        }
    }

    /** How far back reads stay exact at watermark {@code w}: {@code w - history}, saturated. */
    private long expiryBound(long w) {
        return w < Long.MIN_VALUE + historyMillis ? Long.MIN_VALUE : w - historyMillis;
    }

    /** Releases the records the advance passed, partition by partition, then expires history. */
    @Override
    public void onWatermark(long advanced) {
        if (advanced <= watermark) {
            return;
        }
        long before = watermark;
        watermark = advanced;
        long upTo = advanced == Long.MAX_VALUE ? Long.MAX_VALUE : advanced - 1;
        long bound = expiryBound(advanced);
        for (int p = 0; p < partitions.bound(); p++) {
            AsOfPartition partition = partitions.opened(p);
            if (partition != null) {
                if (upTo >= partition.pendingMin) {
                    release(partition, p, before, upTo);
                }
                partition.versions.expire(bound);
            }
        }
    }

    /**
     * Joins and emits {@code partition}'s records up to {@code upTo}, earliest first, ties by key
     * bytes, then arrival, with the clock set to {@code before} (what the outputs carry and are
     * judged against) and put back after.
     */
    private void release(AsOfPartition partition, int index, long before, long upTo) {
        ShardClock clock = context.clock();
        clock.holdBack(before, index, false, saved); // partitioned event time is refused at open
        try (KeyValueIterator<WindowedKey<Object>, List<Object>> due = partition.due(upTo)) {
            while (due.hasNext()) {
                StoreEntry<WindowedKey<Object>, List<Object>> entry = due.next();
                for (Object value : entry.value()) {
                    joinReleased(partition, entry.key().key(), value, entry.key().windowStart());
                }
            }
        } finally {
            clock.restore(saved);
        }
        partition.handedOver(upTo);
    }

    private void joinReleased(AsOfPartition partition, Object key, Object value, long timestamp) {
        try {
            join(partition, key, value, timestamp);
        } catch (RecordProcessingException | PipelineAbortedException fromDownstream) {
            throw fromDownstream;
        } catch (Exception e) {
            context.recordFailure(key, value, timestamp, e);
        } catch (Error e) {
            throw context.fatal(key, value, timestamp, e);
        }
    }

    @Override
    public void dropPartition(int partition) {
        partitions.remove(partition);
        context.dropPartition(movingState(), partition);
    }

    @Override
    public void adoptPartition(int partition, Path checkpoint) {
        partitions.remove(partition);
        context.adoptPartition(movingState(), partition, checkpoint);
        if (checkpoint != null) {
            partitions.get(partition); // opened now: its records leave on the next watermark, records or not
        }
    }

    /**
     * The state whose backend a partition's move goes through: RocksDB's, where either side is
     * there (one call takes every store named after the partition); heap state does not move.
     */
    private Materialized<?, ?> movingState() {
        return streamState.isInMemory() ? tableState : streamState;
    }

    @Override
    public void close() {
        if (partitions != null) {
            partitions.forEach((partition, index) -> partition.close());
        }
    }
}
