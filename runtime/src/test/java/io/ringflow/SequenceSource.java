package io.ringflow;

import java.util.concurrent.atomic.AtomicLong;

/**
 * An endless source for tests: each reader emits 0, 1, 2, ... until the pipeline stops it,
 * counting exactly what it emitted so tests can compare input and output.
 */
final class SequenceSource implements Source<Long> {

    private final int readers;
    private final AtomicLong emitted = new AtomicLong();

    SequenceSource(int readers) {
        this.readers = readers;
    }

    @Override
    public void run(SourceContext<Long> context) {
        long next = 0;
        while (context.isRunning()) {
            context.emit(next++);
            emitted.incrementAndGet();
        }
    }

    @Override
    public int readers() {
        return readers;
    }

    long emitted() {
        return emitted.get();
    }
}
