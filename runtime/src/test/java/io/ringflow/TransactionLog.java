package io.ringflow;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A sink that publishes its writes when a checkpoint commits and drops them on a crash, as a
 * Kafka transaction does: what a restart test compares with a run that never stopped. Each
 * write is kept as an entry {@code E} made of the value and its timestamp.
 */
final class TransactionLog<T, E> implements TransactionalSink<T> {

    /** The entries of committed checkpoints, in commit order. */
    final List<E> committed = new ArrayList<>();
    private final List<E> open = new ArrayList<>();
    private final BiFunction<? super T, Long, ? extends E> entry;
    private long lastCommitted;

    private TransactionLog(BiFunction<? super T, Long, ? extends E> entry) {
        this.entry = entry;
    }

    /** Keeps each value as it is. */
    static <T> TransactionLog<T, T> ofValues() {
        return new TransactionLog<>((value, timestamp) -> value);
    }

    /** Keeps each write as {@code format} writes it, with its timestamp. */
    static <T> TransactionLog<T, String> formatted(BiFunction<? super T, Long, String> format) {
        return new TransactionLog<>(format);
    }

    @Override
    public synchronized long recover() {
        open.clear();
        return lastCommitted;
    }

    @Override
    public synchronized void write(T value, long timestamp) {
        open.add(entry.apply(value, timestamp));
    }

    @Override
    public synchronized void commit(long checkpointId) {
        committed.addAll(open);
        open.clear();
        lastCommitted = checkpointId;
    }

    /** A copy of the committed entries. */
    synchronized List<E> values() {
        return new ArrayList<>(committed);
    }

    /** The committed entries in their natural order (they must be comparable), for comparing runs. */
    synchronized List<E> sorted() {
        List<E> copy = new ArrayList<>(committed);
        copy.sort(null);
        return copy;
    }
}
