package io.ringflow.internal.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A count kept by one shard's thread and read by metric scrapes on others. One writer, so no
 * atomic add is needed: the increment is a plain load and an opaque store (on x86, two
 * ordinary instructions), and a reader sees every increment eventually, never a torn value.
 */
public final class ShardCounter {

    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(ShardCounter.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through VALUE
    private long value;

    /** Only from the owning thread. */
    public void increment() {
        VALUE.setOpaque(this, (long) VALUE.getOpaque(this) + 1);
    }

    /** Only from the owning thread. */
    public void add(long amount) {
        VALUE.setOpaque(this, (long) VALUE.getOpaque(this) + amount);
    }

    /** From any thread. */
    public long get() {
        return (long) VALUE.getOpaque(this);
    }
}
