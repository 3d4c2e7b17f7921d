package io.ringflow.internal.join;

import io.ringflow.error.RecordProcessingException;
import io.ringflow.function.ValueJoiner;
import io.ringflow.internal.PipelineAbortedException;
import io.ringflow.internal.operator.Operator;
import io.ringflow.internal.operator.OperatorContext;
import io.ringflow.internal.operator.Output;
import io.ringflow.internal.operator.PartitionedState;
import io.ringflow.internal.operator.ShardClock;
import io.ringflow.internal.operator.TwoInputOperator;
import io.ringflow.internal.operator.WindowOperator;
import io.ringflow.state.InferredSerde;
import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.Serde;
import io.ringflow.state.StoreEntry;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code intervalJoin(...).between(before, after)}: a left record at {@code t} joins each right
 * record of its key in {@code [t - before, t + after]}, as Flink's interval join. A record that
 * is not late is buffered and meets, on arrival, every buffered record of the other side it
 * matches: each pair is emitted once, when its second record arrives, at the later timestamp.
 * A record is late when it is before the watermark it is judged against (as a window judges
 * it): dropped and counted in {@code ringflow.records.late}, whatever the join type. Every
 * record the other side could still match is buffered then, so a pair is emitted whichever
 * record arrives first. A buffered record expires once the watermark passes the last time a
 * record of the other side can match it; a left (or outer) join then emits it with
 * {@code null} if it never matched, at that last time, so the result is not late downstream.
 *
 * <p>Cost per record: one range read of the other side's records of the key, one point read
 * and one write of its own, one write per record it matches first (left and outer joins).
 */
public final class IntervalJoinOperator extends TwoInputOperator {

    private final JoinSpec spec;
    private final ValueJoiner<Object, Object, Object> joiner;
    private final boolean emitsUnmatched;
    private final Output next;
    /** The clock as an advance found it, while what the advance makes due is emitted. */
    private final ShardClock.Saved saved = new ShardClock.Saved();
    private final JoinSide.Unmatched unmatchedLeft = (key, value, time) -> emitUnmatched(key, value, null, time);
    private final JoinSide.Unmatched unmatchedRight = (key, value, time) -> emitUnmatched(key, null, value, time);
    private BucketSerde leftSerde;
    private BucketSerde rightSerde;
    private PartitionedState<JoinPartition> partitions;
    private LongAdder late;
    private boolean partitionedTime;
    /** The shard's watermark as this operator last applied it. */
    private long watermark;
    /** No unmatched record of any open partition expires before the watermark reaches this. */
    private long unmatchedBound = Long.MAX_VALUE;
    /** The matched buckets of the other side whose flags a record's probe changed: written after the read. */
    private long[] changedTimes = new long[4];
    private Bucket[] changedBuckets = new Bucket[4];
    private int changed;

    public IntervalJoinOperator(OperatorContext context, JoinSpec spec, Output next) {
        super(context);
        this.spec = spec;
        this.joiner = spec.joiner();
        this.emitsUnmatched = spec.type().emitsUnmatched();
        this.next = next;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void open() {
        late = context.counter(WindowOperator.LATE_RECORDS);
        partitionedTime = context.partitionedEventTime();
        watermark = context.clock().watermark;
        leftSerde = new BucketSerde(spec.leftSerde() != null ? (Serde<Object>) spec.leftSerde()
                : new InferredSerde<>(context.name(), "left value"));
        rightSerde = new BucketSerde(spec.rightSerde() != null ? (Serde<Object>) spec.rightSerde()
                : new InferredSerde<>(context.name(), "right value"));
        partitions = new PartitionedState<>(this::openPartition);
        // Records restored from a checkpoint must expire (and be emitted unmatched) with no new record.
        for (int partition : context.storedPartitions(spec.materialized())) {
            partitions.get(partition);
        }
    }

    private JoinPartition openPartition(int partition) {
        JoinPartition opened = JoinPartition.open(context, spec, partition, leftSerde, rightSerde);
        unmatchedBound = Math.min(unmatchedBound, opened.nextUnmatched());
        return opened;
    }

    @Override
    protected void process(Object key, Object value, long timestamp) {
        onRecord(true, key, value, timestamp);
    }

    /** A record of the right input: counted and handled as {@link Operator#push} does the left's. */
    @Override
    protected void processSecond(Object key, Object value, long timestamp) {
        onRecord(false, key, value, timestamp);
    }

    private void onRecord(boolean left, Object key, Object value, long timestamp) {
        try {
            ShardClock clock = context.clock();
            JoinPartition partition = partitions.get(clock.partition);
            long judged = partitionedTime ? partition.watermark : Math.max(clock.watermark, clock.recordWatermark);
            if (timestamp < judged) {
                late.increment();
                return;
            }
            if (!holdsBack(partition)) {
                join(partition, left, key, value, timestamp);
                return;
            }
            // This record's watermark advance emits unmatched records from before it: what it
            // emits itself must not carry the advance to the next stage ahead of them.
            long outgoing = clock.outgoingWatermark;
            long partitionWatermark = clock.partitionWatermark;
            clock.outgoingWatermark = clock.watermark;
            clock.partitionWatermark = partition.watermark;
            clock.watermarkHeldBack = true;
            try {
                join(partition, left, key, value, timestamp);
            } finally {
                clock.outgoingWatermark = outgoing;
                clock.partitionWatermark = partitionWatermark;
            }
        } catch (RecordProcessingException | PipelineAbortedException downstream) {
            throw downstream;
        } catch (Exception e) {
            context.recordFailure(key, value, timestamp, e);
        }
    }

    private boolean holdsBack(JoinPartition partition) {
        if (!emitsUnmatched) {
            return false;
        }
        ShardClock clock = context.clock();
        if (partitionedTime) {
            return clock.partitionWatermark > partition.watermark
                    && clock.partitionWatermark >= partition.nextUnmatched();
        }
        return clock.outgoingWatermark > clock.watermark && clock.outgoingWatermark >= unmatchedBound;
    }

    private void join(JoinPartition partition, boolean left, Object key, Object value, long timestamp) {
        JoinSide own = left ? partition.left : partition.right;
        JoinSide other = left ? partition.right : partition.left;
        boolean matched = false;
        try (KeyValueIterator<Long, Bucket> matches = other.matchesOf(own, key, timestamp)) {
            while (matches.hasNext()) {
                StoreEntry<Long, Bucket> entry = matches.next();
                emitPairs(left, key, value, timestamp, entry.key(), entry.value(), other.emitsUnmatched);
                matched = true;
            }
        } finally {
            writeChanged(other, key); // the pairs emitted so far stay emitted: their records stay marked
        }
        own.add(key, value, timestamp, matched);
        if (own.emitsUnmatched) {
            unmatchedBound = Math.min(unmatchedBound, own.nextExpiry());
        }
    }

    /** Emits {@code value} joined with each record of {@code bucket}, marking them matched if they wait for it. */
    private void emitPairs(boolean left, Object key, Object value, long timestamp, long otherTime, Bucket bucket,
                           boolean mark) {
        long resultTime = Math.max(timestamp, otherTime);
        boolean marked = false;
        for (int i = 0; i < bucket.size; i++) {
            Object other = bucket.values[i];
            emit(key, left ? value : other, left ? other : value, resultTime, value, timestamp);
            if (mark && !bucket.matched[i]) {
                bucket.matched[i] = true;
                marked = true;
            }
        }
        if (marked) {
            if (changed == changedTimes.length) {
                changedTimes = Arrays.copyOf(changedTimes, changed * 2);
                changedBuckets = Arrays.copyOf(changedBuckets, changed * 2);
            }
            changedTimes[changed] = otherTime;
            changedBuckets[changed++] = bucket;
        }
    }

    private void writeChanged(JoinSide side, Object key) {
        for (int i = 0; i < changed; i++) {
            side.store.put(key, changedTimes[i], changedBuckets[i]);
            changedBuckets[i] = null;
        }
        changed = 0;
    }

    /** One result; a joiner that throws hands {@code failedValue} (the record being handled) to the error handler. */
    private void emit(Object key, Object leftValue, Object rightValue, long resultTime, Object failedValue,
                      long failedTime) {
        Object result;
        try {
            result = joiner.apply(leftValue, rightValue);
        } catch (RecordProcessingException | PipelineAbortedException downstream) {
            throw downstream;
        } catch (Exception e) {
            context.recordFailure(key, failedValue, failedTime, e);
            return;
        }
        next.push(key, result, resultTime);
    }

    private void emitUnmatched(Object key, Object leftValue, Object rightValue, long time) {
        emit(key, leftValue, rightValue, time, leftValue != null ? leftValue : rightValue, time);
    }

    @Override
    public void onWatermark(long advanced) {
        long before = watermark;
        watermark = advanced;
        if (partitionedTime && advanced != Long.MAX_VALUE) {
            return; // each partition expires on its own watermark; input that ended expires all
        }
        long bound = Long.MAX_VALUE;
        for (int p = 0; p < partitions.bound(); p++) {
            JoinPartition partition = partitions.opened(p);
            if (partition != null) {
                long from = before;
                if (partitionedTime) {
                    from = partition.watermark;
                    partition.watermark = advanced;
                }
                expire(partition, p, from, advanced);
                bound = Math.min(bound, partition.nextUnmatched());
            }
        }
        unmatchedBound = bound;
    }

    @Override
    public void onPartitionWatermark(int partition, long advanced) {
        if (!partitionedTime) {
            return;
        }
        JoinPartition opened = partitions.get(partition);
        if (advanced > opened.watermark) {
            long before = opened.watermark;
            opened.watermark = advanced;
            expire(opened, partition, before, advanced);
        }
    }

    /**
     * Expires {@code partition}'s records up to {@code advanced}; unmatched ones leave with the
     * clock set to {@code before}, as a timer's output does (see {@code TimerFiring}), so the
     * watermark that expired them does not make them late in this stage or the next.
     */
    private void expire(JoinPartition partition, int index, long before, long advanced) {
        if (!partition.expiresBy(advanced)) {
            return;
        }
        if (!emitsUnmatched) {
            partition.left.expire(advanced, null);
            partition.right.expire(advanced, null);
            return;
        }
        ShardClock clock = context.clock();
        clock.holdBack(before, index, partitionedTime, saved);
        try {
            partition.left.expire(advanced, unmatchedLeft);
            partition.right.expire(advanced, unmatchedRight);
        } finally {
            clock.restore(saved);
        }
    }

    @Override
    public void dropPartition(int partition) {
        partitions.remove(partition);
        context.dropPartition(spec.materialized(), partition);
    }

    @Override
    public void adoptPartition(int partition, Path checkpoint) {
        partitions.remove(partition);
        context.adoptPartition(spec.materialized(), partition, checkpoint);
        if (checkpoint != null) {
            partitions.get(partition); // opened now: its records expire on the next watermark, records or not
        }
    }

    @Override
    public void close() {
        if (partitions != null) {
            partitions.forEach((partition, index) -> partition.close());
        }
    }
}
