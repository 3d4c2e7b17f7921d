package io.ringflow.internal.operator;

import io.ringflow.KeyValue;
import io.ringflow.Materialized;
import io.ringflow.state.InferredSerde;
import io.ringflow.state.Serde;
import io.ringflow.state.WindowStore;
import io.ringflow.windowing.EmitStrategy;
import io.ringflow.windowing.SessionState;
import io.ringflow.windowing.SessionWindowAggregation;
import io.ringflow.windowing.SessionWindows;
import io.ringflow.windowing.TimeWindowAggregation;
import io.ringflow.windowing.TimeWindows;
import io.ringflow.windowing.WindowSpec;
import io.ringflow.windowing.Windowed;
import io.ringflow.windowing.WindowedAggregation;
import java.util.concurrent.atomic.LongAdder;

/**
 * One shard's windowed aggregation: records are judged against the shard's watermark, results
 * leave keyed by {@link Windowed}, late records are counted and go to the side output if the
 * topology has one.
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
    private WindowedAggregation<Object, Object, Object> aggregation;
    private WindowStore<Object, ?> store;
    private LongAdder late;

    public WindowOperator(OperatorContext context, WindowSpec windows, EmitStrategy emit,
                          WindowedAggregation.Aggregate<Object, Object, Object> aggregate,
                          Materialized<?, ?> materialized, Serde<?> defaultValueSerde, Output next) {
        super(context);
        this.windows = windows;
        this.emit = emit;
        this.aggregate = aggregate;
        this.materialized = materialized;
        this.defaultValueSerde = defaultValueSerde;
        this.next = next;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void open() {
        late = context.counter(LATE_RECORDS);
        Serde<Object> valueSerde = materialized.valueSerde() != null ? (Serde<Object>) materialized.valueSerde()
                : defaultValueSerde != null ? (Serde<Object>) defaultValueSerde
                : new InferredSerde<>(context.name(), "value");
        Output side = context.sideOutput();
        WindowedAggregation.Results<Object, Object> results =
                (key, window, value, timestamp) -> next.push(new Windowed<>(key, window), value, timestamp);
        WindowedAggregation.LateRecords<Object, Object> lateRecords = (key, value, timestamp) -> {
            late.increment();
            if (side != null) {
                side.push(key, new KeyValue<>(key, value), timestamp);
            }
        };
        if (windows instanceof TimeWindows timeWindows) {
            WindowStore<Object, Object> windowStore = context.windowStore(materialized, valueSerde);
            store = windowStore;
            aggregation = new TimeWindowAggregation<>(timeWindows, emit, windowStore, aggregate, results, lateRecords);
        } else {
            WindowStore<Object, SessionState<Object>> sessionStore =
                    context.windowStore(materialized, SessionState.serde(valueSerde));
            store = sessionStore;
            aggregation = new SessionWindowAggregation<>((SessionWindows) windows, emit, sessionStore, aggregate,
                    results, lateRecords);
        }
    }

    @Override
    protected void process(Object key, Object value, long timestamp) {
        try {
            aggregation.onRecord(key, value, timestamp, context.clock().watermark);
        } catch (io.ringflow.error.RecordProcessingException | io.ringflow.internal.PipelineAbortedException downstream) {
            throw downstream;
        } catch (Exception e) {
            context.recordFailure(key, value, timestamp, e);
        }
    }

    @Override
    public void onWatermark(long watermark) {
        aggregation.onWatermark(watermark);
    }

    @Override
    public void onProcessingTime(long nowMillis) {
        aggregation.onProcessingTime(nowMillis);
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
        }
    }
}
