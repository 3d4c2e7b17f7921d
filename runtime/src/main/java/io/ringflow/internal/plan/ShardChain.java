package io.ringflow.internal.plan;

import io.ringflow.internal.handoff.PartitionChange;
import io.ringflow.internal.operator.PositionMark;
import io.ringflow.internal.operator.Exchange;
import io.ringflow.internal.operator.Operator;
import io.ringflow.internal.operator.Output;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * One shard's instance of a stage: the fused operators, entered through one output per
 * inbound edge, and the exchanges through which it feeds later stages.
 */
public final class ShardChain {

    private final Output[] entries;
    private final Operator[] operators;
    private final Exchange[] exchanges;

    /** @param operators upstream first (topological order) */
    ShardChain(List<Output> entries, List<Operator> operators, List<Exchange> exchanges) {
        this.entries = entries.toArray(new Output[0]);
        this.operators = operators.toArray(new Operator[0]);
        this.exchanges = exchanges.toArray(new Exchange[0]);
    }

    /** Where records of inbound edge {@code entry} go in. */
    public Output entry(int entry) {
        return entries[entry];
    }

    public void open() {
        for (Operator operator : operators) {
            operator.open();
        }
    }

    /** The shard's watermark advanced: every operator sees it, upstream first. */
    public void onWatermark(long watermark) {
        for (Operator operator : operators) {
            operator.onWatermark(watermark);
        }
    }

    /** Tells every later stage this shard feeds its watermark, without a record to carry it. */
    public void broadcastWatermark(long watermark) {
        for (Exchange exchange : exchanges) {
            exchange.broadcastWatermark(watermark);
        }
    }

    /**
     * Partitioned event time: state partition {@code partition}'s watermark advanced; every
     * operator sees it, upstream first.
     */
    public void onPartitionWatermark(int partition, long watermark) {
        for (Operator operator : operators) {
            operator.onPartitionWatermark(partition, watermark);
        }
    }

    /** Tells every later stage this shard feeds a partition's watermark, without a record to carry it. */
    public void broadcastPartitionWatermark(int partition, long watermark) {
        for (Exchange exchange : exchanges) {
            exchange.broadcastPartitionWatermark(partition, watermark);
        }
    }

    /** Tells every later stage this shard feeds that all of its inputs are idle. */
    public void broadcastIdle() {
        for (Exchange exchange : exchanges) {
            exchange.broadcastIdle();
        }
    }

    /** Processing time passed: operators with processing-time triggers fire here. */
    public void onProcessingTime(long nowMillis) {
        for (Operator operator : operators) {
            operator.onProcessingTime(nowMillis);
        }
    }

    public void endOfBatch() {
        for (Operator operator : operators) {
            operator.endOfBatch();
        }
    }

    /**
     * Passes a source's position mark on: flushes the chain, makes every sink durable, then
     * sends the mark to every shard this one feeds before releasing its own hold on it.
     */
    public void forwardMark(PositionMark mark) {
        endOfBatch();
        for (Operator operator : operators) {
            operator.sync();
        }
        int copies = 0;
        for (Exchange exchange : exchanges) {
            copies += exchange.reach();
        }
        mark.expect(copies);
        for (Exchange exchange : exchanges) {
            exchange.broadcastMark(mark);
        }
        mark.release();
    }

    /** Writes every operator's stores through to the state backend, for a checkpoint. */
    public void flushState() {
        endOfBatch();
        for (Operator operator : operators) {
            operator.flushState();
        }
    }

    /** Sends a checkpoint barrier to every shard this one feeds. */
    public void forwardBarrier(Object barrier) {
        for (Exchange exchange : exchanges) {
            exchange.broadcastBarrier(barrier);
        }
    }

    /**
     * Applies a move of keyed state partitions to every operator (state of dropped partitions
     * deleted, of adopted ones copied in), then sends the change on to every shard this one
     * feeds. {@code applies} says, per partition, whether the change is newer than the last one
     * applied to it here.
     */
    public void changePartitions(PartitionChange change, IntPredicate applies) {
        endOfBatch();
        for (int partition : change.dropped()) {
            if (applies.test(partition)) {
                for (Operator operator : operators) {
                    operator.dropPartition(partition);
                }
            }
        }
        int[] adopted = change.adopted();
        for (int i = 0; i < adopted.length; i++) {
            if (applies.test(adopted[i])) {
                for (Operator operator : operators) {
                    operator.adoptPartition(adopted[i], change.adoptedFrom(i));
                }
            }
        }
        for (Exchange exchange : exchanges) {
            exchange.broadcastPartitions(change);
        }
    }

    /** Closes every operator, even when one of them throws; the first failure is rethrown. */
    public void close() {
        RuntimeException first = null;
        for (Operator operator : operators) {
            try {
                operator.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Tells every later stage this shard feeds that it has no more input, and its last watermark. */
    public void endOfInput(long watermark) {
        for (Exchange exchange : exchanges) {
            exchange.endOfInput(watermark);
        }
    }
}
