package io.ringflow.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Queue;

/**
 * What one sink of a {@link TopologyTestDriver} received, read in order. Reading consumes:
 * each record is returned once.
 */
public final class TestOutput<T> {

    private final String sink;
    private final Queue<TestRecord<T>> queue = new ArrayDeque<>();

    TestOutput(String sink) {
        this.sink = sink;
    }

    void add(T value, long timestamp) {
        queue.add(new TestRecord<>(value, timestamp));
    }

    /** The next record; fails if there is none. */
    public TestRecord<T> readRecord() {
        TestRecord<T> record = queue.poll();
        if (record == null) {
            throw new NoSuchElementException("sink '" + sink + "' has no more output; check isEmpty() first");
        }
        return record;
    }

    /** The next value; fails if there is none. */
    public T readValue() {
        return readRecord().value();
    }

    /** Every remaining record, in order. */
    public List<TestRecord<T>> readRecordsToList() {
        List<TestRecord<T>> records = new ArrayList<>(queue);
        queue.clear();
        return records;
    }

    /** Every remaining value, in order. */
    public List<T> readValuesToList() {
        List<T> values = new ArrayList<>(queue.size());
        for (TestRecord<T> record : queue) {
            values.add(record.value());
        }
        queue.clear();
        return values;
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }

    public int queueSize() {
        return queue.size();
    }
}
