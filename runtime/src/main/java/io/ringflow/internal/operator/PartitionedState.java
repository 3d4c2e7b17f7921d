package io.ringflow.internal.operator;

import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.function.ObjIntConsumer;

/**
 * One shard's state objects of an operator, one per state partition, opened on first use.
 * Partitions are small integers (Kafka partition numbers), so the lookup on every record is
 * an array index, not a map.
 */
public final class PartitionedState<S> {

    private final IntFunction<S> opener;
    private Object[] slots = new Object[1];

    public PartitionedState(IntFunction<S> opener) {
        this.opener = opener;
    }

    /** Partition {@code partition}'s state, opened now if it is not yet. */
    @SuppressWarnings("unchecked")
    public S get(int partition) {
        if (partition < slots.length) {
            Object state = slots[partition];
            if (state != null) {
                return (S) state;
            }
        } else {
            slots = Arrays.copyOf(slots, Math.max(partition + 1, slots.length * 2));
        }
        S state = opener.apply(partition);
        slots[partition] = state;
        return state;
    }

    /** Forgets partition {@code partition}'s state and returns it ({@code null} if it was not open). */
    @SuppressWarnings("unchecked")
    public S remove(int partition) {
        if (partition >= slots.length) {
            return null;
        }
        S state = (S) slots[partition];
        slots[partition] = null;
        return state;
    }

    /** One more than the highest partition ever opened: iterate {@link #opened} up to it without a lambda. */
    public int bound() {
        return slots.length;
    }

    /** Partition {@code partition}'s state if it is open, else {@code null}. */
    @SuppressWarnings("unchecked")
    public S opened(int partition) {
        return partition < slots.length ? (S) slots[partition] : null;
    }

    /** Every open partition's state, in partition order. */
    @SuppressWarnings("unchecked")
    public void forEach(ObjIntConsumer<S> action) {
        for (int partition = 0; partition < slots.length; partition++) {
            if (slots[partition] != null) {
                action.accept((S) slots[partition], partition);
            }
        }
    }
}
