package io.ringflow.collection;

import io.ringflow.Sink;
import io.ringflow.testing.TestRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A sink that keeps every record in memory, in arrival order, for tests and samples.
 * Thread-safe; readers can wait for a number of records with a deadline instead of
 * sleeping. Memory grows with every record: not for unbounded streams.
 */
public final class CollectingSink<T> implements Sink<T> {

    private final List<TestRecord<T>> records = new ArrayList<>();

    /** An empty sink. */
    public CollectingSink() {
    }

    @Override
    public synchronized void write(T value, long timestamp) {
        records.add(new TestRecord<>(value, timestamp));
        notifyAll();
    }

    /** The values received so far, in arrival order. */
    public synchronized List<T> values() {
        List<T> values = new ArrayList<>(records.size());
        for (TestRecord<T> record : records) {
            values.add(record.value());
        }
        return values;
    }

    /** The records received so far, with their timestamps, in arrival order. */
    public synchronized List<TestRecord<T>> records() {
        return List.copyOf(records);
    }

    public synchronized int size() {
        return records.size();
    }

    /**
     * Waits until at least {@code count} records have arrived or {@code timeout} has passed.
     *
     * @return whether {@code count} records arrived in time
     */
    public synchronized boolean awaitSize(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (records.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
