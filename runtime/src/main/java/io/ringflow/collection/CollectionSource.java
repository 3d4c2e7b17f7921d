package io.ringflow.collection;

import io.ringflow.Source;
import io.ringflow.SourceContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * A bounded source of values held in memory, for tests, samples and demos: emits every value
 * in order and ends. With several partitions, each partition is a reader of its own, and
 * order holds within a partition, as in a Kafka topic.
 *
 * <pre>{@code
 * CollectionSource.of("a", "b", "c");
 * CollectionSource.partitioned(List.of(List.of(1, 2), List.of(3, 4))).withTimestamps(i -> i * 1000L);
 * }</pre>
 */
public final class CollectionSource<T> implements Source<T> {

    private final List<List<T>> partitions;
    private final ToLongFunction<? super T> timestamps;

    private CollectionSource(List<List<T>> partitions, ToLongFunction<? super T> timestamps) {
        this.partitions = partitions;
        this.timestamps = timestamps;
    }

    /** One partition holding {@code values}, in order. */
    @SafeVarargs
    public static <T> CollectionSource<T> of(T... values) {
        return of(Arrays.asList(values));
    }

    /** One partition holding {@code values}, in iteration order (copied now). */
    public static <T> CollectionSource<T> of(Iterable<? extends T> values) {
        return partitioned(List.of(copy(values)));
    }

    /** One reader per partition; each partition is copied now and must not be empty-null. */
    public static <T> CollectionSource<T> partitioned(List<? extends Iterable<? extends T>> partitions) {
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalArgumentException("a partitioned collection source needs at least one partition");
        }
        List<List<T>> copies = new ArrayList<>();
        for (Iterable<? extends T> partition : partitions) {
            copies.add(copy(partition));
        }
        return new CollectionSource<>(List.copyOf(copies), null);
    }

    /**
     * The same values, each stamped with the event time {@code timestamps} gives it (epoch
     * milliseconds) instead of the time it is emitted.
     */
    public CollectionSource<T> withTimestamps(ToLongFunction<? super T> timestamps) {
        if (timestamps == null) {
            throw new IllegalArgumentException("timestamp function must not be null");
        }
        return new CollectionSource<>(partitions, timestamps);
    }

    /** Number of values over all partitions. */
    public int size() {
        int size = 0;
        for (List<T> partition : partitions) {
            size += partition.size();
        }
        return size;
    }

    @Override
    public int readers() {
        return partitions.size();
    }

    @Override
    public void run(SourceContext<T> context) {
        for (T value : partitions.get(context.reader())) {
            if (!context.isRunning()) {
                return;
            }
            if (timestamps == null) {
                context.emit(value);
            } else {
                context.emit(value, timestamps.applyAsLong(value));
            }
        }
    }

    private static <T> List<T> copy(Iterable<? extends T> values) {
        if (values == null) {
            throw new IllegalArgumentException("a collection source needs values, got null");
        }
        List<T> copy = new ArrayList<>();
        for (T value : values) {
            if (value == null) {
                throw new IllegalArgumentException("a collection source cannot emit null values");
            }
            copy.add(value);
        }
        return List.copyOf(copy);
    }
}
