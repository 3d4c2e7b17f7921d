package io.ringflow.internal.operator;

import io.ringflow.Materialized;
import io.ringflow.OutputTag;
import io.ringflow.error.RecordProcessingException;
import io.ringflow.function.Collector;
import io.ringflow.function.KeyedCoProcessFunction;
import io.ringflow.function.KeyedProcessFunction;
import io.ringflow.function.ListState;
import io.ringflow.function.ListStateSpec;
import io.ringflow.function.MapState;
import io.ringflow.function.MapStateSpec;
import io.ringflow.function.ProcessFunction;
import io.ringflow.function.TimeDomain;
import io.ringflow.function.TimerService;
import io.ringflow.function.ValueState;
import io.ringflow.function.ValueStateSpec;
import io.ringflow.internal.PipelineAbortedException;
import io.ringflow.internal.keyedstate.NamedStateRegistry;
import io.ringflow.internal.keyedstate.NamedStates;
import io.ringflow.internal.keyedstate.StateScope;
import java.nio.file.Path;

/**
 * {@code process}: runs a user function that emits through a collector. The operator is its
 * own context, collector, state and timer service, so a record, a timer registration and a
 * timer firing cost no allocation here. On a keyed stream each state partition has its values
 * and timers ({@link ProcessPartition}); {@link TimerFiring} decides when timers fire.
 */
public final class ProcessOperator extends TwoInputOperator implements Collector<Object>,
        KeyedProcessFunction.OnTimerContext<Object>, ValueState<Object>, TimerService, TimerFiring.Target,
        StateScope {

    /** The failed "value" the error handler is given when an event-time {@code onTimer} throws. */
    static final String EVENT_TIMER = "onTimer(EVENT_TIME)";
    static final String PROCESSING_TIMER = "onTimer(PROCESSING_TIME)";

    /** Runs each record of the (first) input, and every timer. */
    private final KeyedProcessFunction<Object, Object, Object> function;
    /** Runs each record of the second input of a two-input process; {@code null} with one input. */
    private final KeyedProcessFunction<Object, Object, Object> second;
    private final Output next;
    /** From the context, as a window's late-record output is, so the factories take no new parameter. */
    private final SideOutputs sideOutputs = context.sideOutputs();
    /** How the keyed state is stored; {@code null} on an unkeyed stream, which has no keyed state. */
    private final Materialized<?, ?> materialized;
    /** Each state partition's values and timers on this shard; {@code null} on an unkeyed stream. */
    private PartitionedState<ProcessPartition> partitions;
    private TimerFiring timers;
    /** The named states this operator declared (value, map, list), shared by its partitions. */
    private NamedStateRegistry named;
    /** The current record's (or firing timer's) partition. */
    private ProcessPartition current;
    private Object currentKey;
    private long currentTimestamp;
    /** While {@code onTimer} runs, the fired timer's domain; {@code null} while {@code process} runs. */
    private TimeDomain firingDomain;
    /** While an event-time {@code onTimer} runs, the watermark that fired it. */
    private long firingWatermark;

    private ProcessOperator(OperatorContext context, KeyedProcessFunction<Object, Object, Object> function,
                            KeyedProcessFunction<Object, Object, Object> second, Materialized<?, ?> materialized,
                            Output next) {
        super(context);
        this.function = function;
        this.second = second;
        this.materialized = materialized;
        this.next = next;
    }

    @SuppressWarnings("unchecked")
    public static ProcessOperator unkeyed(OperatorContext context, ProcessFunction<?, ?> function, Output next) {
        ProcessFunction<Object, Object> f = (ProcessFunction<Object, Object>) function;
        return new ProcessOperator(context, f::process, null, null, next);
    }

    @SuppressWarnings("unchecked")
    public static ProcessOperator keyed(OperatorContext context, KeyedProcessFunction<?, ?, ?> function,
                                        Materialized<?, ?> materialized, Output next) {
        return new ProcessOperator(context, (KeyedProcessFunction<Object, Object, Object>) function, null,
                materialized, next);
    }

    /**
     * The operator of {@code connect(...).process(function)}: both inputs share the key's state and
     * timers, as in Flink's {@code KeyedCoProcessFunction}; records of the first input run
     * {@code processElement1}, of the second {@code processElement2}.
     */
    @SuppressWarnings("unchecked")
    public static ProcessOperator twoInput(OperatorContext context, KeyedCoProcessFunction<?, ?, ?, ?> function,
                                           Materialized<?, ?> materialized, Output next) {
        KeyedCoProcessFunction<Object, Object, Object, Object> f =
                (KeyedCoProcessFunction<Object, Object, Object, Object>) function;
        return new ProcessOperator(context, new FirstOfTwoInputs(f), f::processElement2, materialized, next);
    }

    @Override
    protected boolean hasSecondInput() {
        return second != null;
    }

    @Override
    protected void processSecond(Object key, Object value, long timestamp) {
        process(second, key, value, timestamp);
    }

    @Override
    public void open() {
        if (materialized != null) {
            partitions = new PartitionedState<>(this::openPartition);
            timers = new TimerFiring(partitions, context.clock(), context.partitionedEventTime(), this);
            named = new NamedStateRegistry(context.kind() + " '" + context.name() + "'",
                    context.stateKeySerde(materialized), this);
            // Timers restored from a checkpoint must fire even if their partition sends nothing more.
            for (int partition : context.storedPartitions(materialized)) {
                partitions.get(partition);
            }
        }
    }

    private ProcessPartition openPartition(int partition) {
        ProcessPartition opened = ProcessPartition.open(context, materialized, partition);
        timers.opened(opened);
        return opened;
    }

    @Override
    public void endOfBatch() {
        if (partitions != null) {
            partitions.forEach((partition, index) -> partition.endOfBatch());
        }
    }

    @Override
    public void onWatermark(long watermark) {
        if (timers != null) {
            timers.onWatermark(watermark);
            expireNamedState(TimeDomain.EVENT_TIME, watermark, -1);
        }
    }

    @Override
    public void onPartitionWatermark(int partition, long watermark) {
        if (timers != null) {
            timers.onPartitionWatermark(partition, watermark);
            expireNamedState(TimeDomain.EVENT_TIME, watermark, partition);
        }
    }

    @Override
    public void onProcessingTime(long nowMillis) {
        if (timers != null) {
            timers.onProcessingTime(nowMillis);
            expireNamedState(TimeDomain.PROCESSING_TIME, nowMillis, -1);
        }
    }

    /**
     * Deletes the named-state entries of {@code domain} expired by now (every partition's, or
     * only {@code onlyPartition}'s), after the timers fired: each partition's event time is
     * the watermark its timers fire against. No lambda: this runs on every watermark advance.
     */
    private void expireNamedState(TimeDomain domain, long now, int onlyPartition) {
        for (int p = 0; p < partitions.bound(); p++) {
            ProcessPartition partition = partitions.opened(p);
            if (partition != null && (onlyPartition < 0 || onlyPartition == p)) {
                partition.named.expire(domain, domain == TimeDomain.EVENT_TIME ? timers.watermark(partition) : now);
            }
        }
    }

    @Override
    public void dropPartition(int partition) {
        if (partitions != null) {
            partitions.remove(partition);
            context.dropPartition(materialized, partition);
        }
    }

    @Override
    public void adoptPartition(int partition, Path checkpoint) {
        if (partitions != null) {
            partitions.remove(partition);
            context.adoptPartition(materialized, partition, checkpoint);
            if (checkpoint != null) {
                partitions.get(partition); // opened now: its timers fire on the next watermark, records or not
            }
        }
    }

    @Override
    public void close() {
        if (partitions != null) {
            partitions.forEach((partition, index) -> partition.close());
        }
    }

    @Override
    protected void process(Object key, Object value, long timestamp) {
        process(function, key, value, timestamp);
    }

    private void process(KeyedProcessFunction<Object, Object, Object> function, Object key, Object value,
                         long timestamp) {
        currentKey = key;
        currentTimestamp = timestamp;
        firingDomain = null;
        if (partitions == null) {
            run(function, key, value, timestamp);
            return;
        }
        ShardClock clock = context.clock();
        current = partitions.get(clock.partition);
        if (!timers.holdsBack(current)) {
            run(function, key, value, timestamp);
            return;
        }
        long outgoing = clock.outgoingWatermark;
        long partitionWatermark = clock.partitionWatermark;
        timers.holdBack(current);
        try {
            run(function, key, value, timestamp);
        } finally {
            timers.release(outgoing, partitionWatermark);
        }
    }

    private void run(KeyedProcessFunction<Object, Object, Object> function, Object key, Object value, long timestamp) {
        try {
            function.process(value, this, this);
        } catch (RecordProcessingException | PipelineAbortedException fromDownstream) {
            // Already attributed to the operator that failed; it is not this function's failure.
            throw fromDownstream;
        } catch (Exception e) {
            context.recordFailure(key, value, timestamp, e);
        }
    }

    @Override
    public void onTimer(ProcessPartition partition, TimeDomain domain, long timestamp, Object key, long watermark) {
        current = partition;
        currentKey = key;
        currentTimestamp = timestamp;
        firingDomain = domain;
        firingWatermark = watermark;
        Object failed = domain == TimeDomain.EVENT_TIME ? EVENT_TIMER : PROCESSING_TIMER;
        try {
            function.onTimer(timestamp, this, this);
        } catch (RecordProcessingException | PipelineAbortedException fromDownstream) {
            throw fromDownstream;
        } catch (Exception e) {
            context.recordFailure(key, failed, timestamp, e);
        } catch (Error e) {
            throw context.fatal(key, failed, timestamp, e);
        } finally {
            firingDomain = null;
        }
    }

    @Override
    public void collect(Object value) {
        next.push(currentKey, value, currentTimestamp);
    }

    @Override
    public void collect(Object value, long timestamp) {
        next.push(currentKey, value, timestamp);
    }

    @Override
    public <X> void output(OutputTag<X> tag, X value) {
        sideOutputs.push(tag, currentKey, value, currentTimestamp);
    }

    @Override
    public Object key() {
        return currentKey;
    }

    @Override
    public long timestamp() {
        return currentTimestamp;
    }

    @Override
    public int shard() {
        return context.shard();
    }

    @Override
    public long watermark() {
        return firingDomain == TimeDomain.EVENT_TIME ? firingWatermark : context.clock().watermark;
    }

    @Override
    public TimeDomain timeDomain() {
        return firingDomain;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S> ValueState<S> state() {
        requireKeyed("keyed state");
        return (ValueState<S>) this;
    }

    @Override
    public <S> ValueState<S> valueState(ValueStateSpec<S> spec) {
        requireKeyed("keyed state");
        return named.value(spec);
    }

    @Override
    public <K, V> MapState<K, V> mapState(MapStateSpec<K, V> spec) {
        requireKeyed("keyed state");
        return named.map(spec);
    }

    @Override
    public <T> ListState<T> listState(ListStateSpec<T> spec) {
        requireKeyed("keyed state");
        return named.list(spec);
    }

    @Override
    public NamedStates namedStates() {
        return current.named;
    }

    @Override
    public TimerService timers() {
        requireKeyed("timers");
        return this;
    }

    private void requireKeyed(String what) {
        if (partitions == null) {
            throw new IllegalStateException(context.kind() + " '" + context.name() + "' runs on an unkeyed stream,"
                    + " which has no " + what + "; keyBy(...) before process(...)");
        }
    }

    @Override
    public Object value() {
        return current.values.get(currentKey);
    }

    @Override
    public void update(Object value) {
        current.values.put(currentKey, value);
    }

    @Override
    public void clear() {
        current.values.delete(currentKey);
    }

    @Override
    public long currentProcessingTime() {
        return context.clock().processingTime.getAsLong();
    }

    @Override
    public long currentWatermark() {
        return firingDomain == TimeDomain.EVENT_TIME ? firingWatermark : timers.watermark(current);
    }

    @Override
    public void registerEventTimeTimer(long timestamp) {
        current.eventTimers.add(timestamp, currentKey);
        timers.registered(timestamp);
    }

    @Override
    public void registerProcessingTimeTimer(long timestamp) {
        current.processingTimers.add(timestamp, currentKey);
    }

    @Override
    public void deleteEventTimeTimer(long timestamp) {
        current.eventTimers.remove(timestamp, currentKey);
    }

    @Override
    public void deleteProcessingTimeTimer(long timestamp) {
        current.processingTimers.remove(timestamp, currentKey);
    }
}
