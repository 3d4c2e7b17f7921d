package io.ringflow;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An input a test appends to between runs, as to a Kafka topic, read by a source that resumes
 * at the position its checkpoint recorded (the index of the next record). Bounded: a reader
 * emits what its partition holds when it gets there and ends; {@link #waiting()} makes it wait
 * for a stop (or a crash) instead, so a test can checkpoint or kill a pipeline that reads nothing.
 */
final class ReplayableLog {

    private final List<List<String>> partitions = new ArrayList<>();
    /** Records emitted by the current run, over all readers. */
    final AtomicInteger emitted = new AtomicInteger();
    /** Set, a waiting reader throws: the pipeline fails and takes no final checkpoint, as after a kill. */
    final java.util.concurrent.atomic.AtomicBoolean crash = new java.util.concurrent.atomic.AtomicBoolean();

    ReplayableLog(int partitions) {
        for (int p = 0; p < partitions; p++) {
            this.partitions.add(new ArrayList<>());
        }
    }

    /** Appends {@code count} records spread over the partitions in turn, key {@code "k" + (i mod keys)}. */
    synchronized ReplayableLog append(int count, int keys) {
        for (int i = 0; i < count; i++) {
            partitions.get(i % partitions.size()).add("k" + (i % keys));
        }
        return this;
    }

    private synchronized String get(int partition, int index) {
        List<String> records = partitions.get(partition);
        return index < records.size() ? records.get(index) : null;
    }

    /** Reads everything there, then ends. */
    Source<String> bounded() {
        return source(null);
    }

    /** Reads everything there, then counts {@code idle} down and waits for the pipeline to stop. */
    Source<String> waiting(CountDownLatch idle) {
        return source(idle);
    }

    private Source<String> source(CountDownLatch idle) {
        int readers = partitions.size();
        return new Source<>() {
            @Override
            public void run(SourceContext<String> context) throws InterruptedException {
                int[] next = {context.restoredPosition().map(b -> ByteBuffer.wrap(b).getInt()).orElse(0)};
                context.positionForCheckpoints(id -> ByteBuffer.allocate(4).putInt(next[0]).array());
                String record;
                while (context.isRunning() && (record = get(context.reader(), next[0])) != null) {
                    context.emit(record);
                    next[0]++;
                    emitted.incrementAndGet();
                }
                if (idle != null) {
                    idle.countDown();
                    while (context.isRunning()) {
                        if (crash.get()) {
                            throw new IllegalStateException("crash");
                        }
                        Thread.sleep(1);
                    }
                }
            }

            @Override
            public int readers() {
                return readers;
            }
        };
    }
}
