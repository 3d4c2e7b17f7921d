package io.ringflow.internal.operator;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A source reader's mark travelling behind its records through every ring buffer it reaches.
 * It counts the shards still to process it: each shard adds the copies it forwards before
 * releasing its own, so the count reaches zero only when every copy, on every path, has been
 * processed and every sink it passed has synced. Then the reader learns its mark is written.
 */
public final class PositionMark {

    /** Told, on whichever shard thread releases last, that a mark is written. */
    public interface Owner {
        void written(long mark);
    }

    private final Owner owner;
    private final long id;
    private final AtomicInteger pending = new AtomicInteger(1);

    public PositionMark(Owner owner, long id) {
        this.owner = owner;
        this.id = id;
    }

    /** {@code copies} more shards will each process this mark once. */
    public void expect(int copies) {
        pending.addAndGet(copies);
    }

    /** One shard (or the reader that placed it) is done with the mark. */
    public void release() {
        if (pending.decrementAndGet() == 0) {
            owner.written(id);
        }
    }

    public long id() {
        return id;
    }
}
