package io.ringflow;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A source over a fixed list that a test gates: it resumes at the index its checkpoint
 * recorded, emits while the index is below {@link #limit}, waits at the limit (throwing when
 * {@link #crash} is set, so the pipeline fails with no final checkpoint, as after a kill), and
 * ends after the last record unless {@link #holdOpen} is set.
 */
final class ListSource implements Source<String> {

    private final List<String> records;
    final AtomicInteger limit;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger resumedAt = new AtomicInteger(-1);
    final AtomicBoolean crash = new AtomicBoolean();
    /** Whether the source waits after its last record, as an unbounded input does, rather than ending. */
    final AtomicBoolean holdOpen = new AtomicBoolean();

    ListSource(List<String> records, int limit) {
        this.records = records;
        this.limit = new AtomicInteger(limit);
    }

    @Override
    public void run(SourceContext<String> context) throws Exception {
        next.set(context.restoredPosition().map(b -> ByteBuffer.wrap(b).getInt()).orElse(0));
        resumedAt.set(next.get());
        context.positionForCheckpoints(id -> ByteBuffer.allocate(4).putInt(next.get()).array());
        while (context.isRunning()) {
            if (next.get() < Math.min(limit.get(), records.size())) {
                context.emit(records.get(next.get()));
                next.incrementAndGet();
            } else if (crash.get()) {
                throw new IllegalStateException("crash");
            } else if (next.get() >= records.size() && !holdOpen.get()) {
                return;
            } else {
                Thread.sleep(1);
            }
        }
    }
}
