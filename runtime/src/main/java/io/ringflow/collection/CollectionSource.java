package io.ringflow.collection;

import io.ringflow.Source;
import io.ringflow.SourceContext;
import java.nio.ByteBuffer;
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
 *
 * <h2>Checkpoints</h2>
 * With checkpoints on, each partition records in every checkpoint how many of its values it
 * has emitted, and a pipeline restored from that checkpoint skips them: each value is counted
 * once across a stop, a crash or a completed run followed by a restart (which emits nothing).
 * A restarted pipeline must be given the same values (more may be appended to a partition;
 * they are emitted after the restart). Cost: a few bytes per partition per checkpoint;
 * nothing without checkpoints.
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
        List<T> values = partitions.get(context.reader());
        int first = 0;
        Progress progress = null;
        if (context.checkpointing()) {
            first = context.restoredPosition().map(bytes -> restoredIndex(bytes, context.reader(), values.size())).orElse(0);
            progress = new Progress(first);
            context.positionForCheckpoints(progress::encode);
        }
        for (int i = first; i < values.size(); i++) {
            if (!context.isRunning()) {
                return;
            }
            T value = values.get(i);
            if (timestamps == null) {
                context.emit(value);
            } else {
                context.emit(value, timestamps.applyAsLong(value));
            }
            if (progress != null) {
                progress.next = i + 1; // only once emitted: a checkpoint inside emit describes the values before it
            }
        }
    }

    /** Leading byte of a checkpointed position; a new layout gets a new one. */
    private static final byte POSITION_FORMAT = 1;

    /** With checkpoints: the index of the partition's next value to emit. */
    private static final class Progress {
        int next;

        Progress(int next) {
            this.next = next;
        }

        byte[] encode(long checkpointId) {
            return ByteBuffer.allocate(5).put(POSITION_FORMAT).putInt(next).array();
        }
    }

    private int restoredIndex(byte[] bytes, int reader, int size) {
        if (bytes.length != 5 || bytes[0] != POSITION_FORMAT) {
            throw new IllegalStateException("collection source partition " + reader + ": the restored checkpoint"
                    + " holds no position this source can read (" + bytes.length + " bytes"
                    + (bytes.length > 0 ? ", format " + bytes[0] : "") + "): it was taken by another source under"
                    + " this name, or before collection sources recorded positions, and starting over would count"
                    + " its values twice; start on a fresh state directory");
        }
        int next = ByteBuffer.wrap(bytes, 1, 4).getInt();
        if (next < 0 || next > size) {
            throw new IllegalStateException("collection source partition " + reader + ": the restored checkpoint says "
                    + next + " values were emitted, but the partition holds " + size + "; a restarted pipeline must"
                    + " be given the values it was checkpointed with (more may be appended), or start on a fresh"
                    + " state directory");
        }
        return next;
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
