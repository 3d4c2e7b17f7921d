package io.ringflow.testing;

/**
 * Pipes records into one source of a {@link TopologyTestDriver}. Each pipe runs the whole
 * topology on the calling thread before it returns, as one batch.
 */
public final class TestInput<T> {

    private final TopologyTestDriver driver;
    private final String source;

    TestInput(TopologyTestDriver driver, String source) {
        this.driver = driver;
        this.source = source;
    }

    /** Pipes {@code value} with timestamp 0. */
    public TestInput<T> pipe(T value) {
        return pipe(value, 0L);
    }

    /** Pipes {@code value} with an event timestamp (epoch milliseconds). */
    public TestInput<T> pipe(T value, long timestamp) {
        driver.pipe(source, value, timestamp);
        return this;
    }

    /** Pipes every value, in order, each with timestamp 0. */
    public TestInput<T> pipeAll(Iterable<? extends T> values) {
        for (T value : values) {
            pipe(value);
        }
        return this;
    }
}
