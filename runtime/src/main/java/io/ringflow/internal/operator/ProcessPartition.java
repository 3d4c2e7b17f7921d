package io.ringflow.internal.operator;

import io.ringflow.Materialized;
import io.ringflow.internal.keyedstate.NamedStates;
import io.ringflow.state.KeyValueStore;
import io.ringflow.state.TimerStore;
import io.ringflow.watermark.Watermarks;

/**
 * One state partition of a keyed {@code process} on one shard: its keys' values, their
 * timers of both domains, and their named states ({@link NamedStates}). The timer stores are
 * named after the value store plus a suffix starting with a dot, so a checkpoint, a
 * partition's drop and its import take them with it.
 */
final class ProcessPartition {

    /** Suffix of the event-time timers' store (a RocksDB column family beside the values'). */
    static final String EVENT_TIMERS = ".event-timers";
    /** Suffix of the processing-time timers' store. */
    static final String PROCESSING_TIMERS = ".processing-timers";

    final KeyValueStore<Object, Object> values;
    final TimerStore<Object> eventTimers;
    final TimerStore<Object> processingTimers;
    final NamedStates named;
    /** With partitioned event time: the partition's watermark as the operator last applied it. */
    long watermark = Watermarks.NONE;

    private ProcessPartition(KeyValueStore<Object, Object> values, TimerStore<Object> eventTimers,
                             TimerStore<Object> processingTimers, NamedStates named) {
        this.values = values;
        this.eventTimers = eventTimers;
        this.processingTimers = processingTimers;
        this.named = named;
    }

    /** Opens partition {@code partition}'s stores, with whatever an earlier run or an import left in them. */
    static ProcessPartition open(OperatorContext context, Materialized<?, ?> materialized, int partition) {
        return new ProcessPartition(context.keyValueStore(materialized, null, partition),
                context.timerStore(materialized, EVENT_TIMERS, partition),
                context.timerStore(materialized, PROCESSING_TIMERS, partition),
                new NamedStates(context, materialized, partition));
    }

    void endOfBatch() {
        values.endOfBatch();
        named.endOfBatch();
    }

    /** Writes every store through and releases it, each even if another fails. */
    void close() {
        try {
            values.close();
        } finally {
            try {
                eventTimers.close();
            } finally {
                try {
                    processingTimers.close();
                } finally {
                    named.close();
                }
            }
        }
    }
}
