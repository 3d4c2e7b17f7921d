package io.ringflow.internal.keyedstate;

import io.ringflow.Materialized;
import io.ringflow.function.StateDeclarationException;
import io.ringflow.function.TimeDomain;
import io.ringflow.internal.operator.OperatorContext;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The named states of one state partition of a keyed {@code process} on one shard: a table per
 * declared state, opened when first used, by the declaration's index. Each state's stores are
 * named after the partition's store plus {@code .<kind>.<name>} (and {@code .ttl-event} or
 * {@code .ttl-processing} for its cleanup timers), so a checkpoint, a drop and an import of the
 * partition carry them with the rest of its state.
 *
 * <p>When it opens, it also opens the states with cleanup timers that an earlier run left
 * (a restore, an import), before the function declares them again or even if it never does:
 * their expired entries are deleted on time all the same.
 */
public final class NamedStates {

    private final OperatorContext context;
    private final Materialized<?, ?> materialized;
    private final int partition;
    private StateTable[] tables = new StateTable[0];
    /** States found stored with cleanup timers, not declared in this run yet: by store suffix. */
    private final Map<String, StateTable> undeclared = new TreeMap<>();

    public NamedStates(OperatorContext context, Materialized<?, ?> materialized, int partition) {
        this.context = context;
        this.materialized = materialized;
        this.partition = partition;
        for (String suffix : context.storedSuffixes(materialized, partition)) {
            openStored(suffix);
        }
    }

    /** Opens the state whose cleanup timers' store has suffix {@code suffix}, if it is one of ours. */
    private void openStored(String suffix) {
        TimeDomain domain = suffix.endsWith(StateTable.EVENT_CLEANUP) ? TimeDomain.EVENT_TIME
                : suffix.endsWith(StateTable.PROCESSING_CLEANUP) ? TimeDomain.PROCESSING_TIME : null;
        if (domain == null) {
            return;
        }
        String state = suffix.substring(0, suffix.length() - StateTable.cleanupSuffix(domain).length());
        String[] parts = state.split("\\.");
        if (parts.length == 3 && parts[0].isEmpty() && (parts[1].equals("value") || parts[1].equals("map")
                || parts[1].equals("list")) && !undeclared.containsKey(state)) {
            undeclared.put(state, StateTable.open(context, materialized, partition, state, parts[1].equals("list"),
                    domain));
        }
    }

    /** The table of {@code declaration} in this partition, opened now if it is not yet. */
    StateTable table(Declaration declaration) {
        int index = declaration.index;
        if (index < tables.length && tables[index] != null) {
            return tables[index];
        }
        if (index >= tables.length) {
            tables = Arrays.copyOf(tables, Math.max(index + 1, tables.length * 2));
        }
        TimeDomain domain = declaration.spec.ttl() == null ? null : declaration.spec.ttl().domain();
        StateTable table = undeclared.remove(declaration.suffix);
        if (table != null && table.domain != domain) {
            undeclared.put(declaration.suffix, table);
            throw new StateDeclarationException(context.kind() + " '" + context.name() + "': state '"
                    + declaration.spec.name() + "' is stored with a " + table.domain + " TTL and declared "
                    + (domain == null ? "without a TTL" : "with a " + domain + " TTL")
                    + "; its entries expire by the clock they were written with: declare that one, or use a new name");
        }
        if (table == null) {
            table = StateTable.open(context, materialized, partition, declaration.suffix,
                    declaration.kind.equals("list"), domain);
        }
        tables[index] = table;
        return table;
    }

    /**
     * Deletes every entry of {@code domain}'s TTL states expired up to {@code upTo}: that
     * clock's time. Cost when nothing is due: one comparison per state.
     */
    public void expire(TimeDomain domain, long upTo) {
        for (StateTable table : tables) {
            if (table != null && table.domain == domain) {
                table.expire(upTo);
            }
        }
        if (!undeclared.isEmpty()) {
            for (StateTable table : undeclared.values()) {
                if (table.domain == domain) {
                    table.expire(upTo);
                }
            }
        }
    }

    public void endOfBatch() {
        for (StateTable table : tables) {
            if (table != null) {
                table.endOfBatch();
            }
        }
    }

    /** Writes every state through and releases it, each even if another fails. */
    public void close() {
        RuntimeException first = null;
        for (StateTable table : tables) {
            first = close(table, first);
        }
        for (StateTable table : undeclared.values()) {
            first = close(table, first);
        }
        if (first != null) {
            throw first;
        }
    }

    private static RuntimeException close(StateTable table, RuntimeException first) {
        if (table == null) {
            return first;
        }
        try {
            table.close();
        } catch (RuntimeException e) {
            if (first == null) {
                return e;
            }
            first.addSuppressed(e);
        }
        return first;
    }
}
