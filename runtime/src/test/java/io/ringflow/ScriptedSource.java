package io.ringflow;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One reader emitting {@code records} from its checkpointed position, never past {@code limit}
 * (a test raises it); at the end it ends, or with {@code endsAtTheEnd} off waits, so checkpoints
 * can still be taken. Once {@code crash} is set a waiting reader throws: the pipeline fails and
 * takes no final checkpoint, as after a kill.
 */
final class ScriptedSource implements Source<String> {

    private final List<String> records;
    private final boolean endsAtTheEnd;
    final AtomicInteger limit;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger resumedAt = new AtomicInteger(-1);
    final AtomicBoolean crash = new AtomicBoolean();

    ScriptedSource(List<String> records, int limit, boolean endsAtTheEnd) {
        this.records = records;
        this.limit = new AtomicInteger(limit);
        this.endsAtTheEnd = endsAtTheEnd;
    }

    @Override
    public void run(SourceContext<String> context) throws InterruptedException {
        next.set(context.restoredPosition().map(b -> ByteBuffer.wrap(b).getInt()).orElse(0));
        resumedAt.set(next.get());
        context.positionForCheckpoints(id -> ByteBuffer.allocate(4).putInt(next.get()).array());
        while (context.isRunning()) {
            if (next.get() < Math.min(limit.get(), records.size())) {
                context.emit(records.get(next.get()));
                next.incrementAndGet();
            } else if (next.get() == records.size() && endsAtTheEnd) {
                return;
            } else if (crash.get()) {
                throw new IllegalStateException("crash");
            } else {
                Thread.sleep(1);
            }
        }
    }
}
