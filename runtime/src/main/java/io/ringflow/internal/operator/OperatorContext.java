package io.ringflow.internal.operator;

import io.ringflow.error.RecordProcessingException;
import io.ringflow.internal.metrics.MeteredKeyValueStore;
import io.ringflow.internal.metrics.MeteredTimerStore;
import io.ringflow.internal.metrics.MeteredWindowStore;
import io.ringflow.internal.metrics.PipelineMetrics;
import io.ringflow.internal.metrics.ShardCounter;
import io.ringflow.Materialized;
import io.ringflow.error.ErrorHandler;
import io.ringflow.error.FailedRecord;
import io.ringflow.function.StateDeclarationException;
import io.ringflow.state.InferredSerde;
import io.ringflow.state.KeyValueStore;
import io.ringflow.state.MissingSerdeException;
import io.ringflow.state.Serde;
import io.ringflow.state.StateBackend;
import io.ringflow.state.TimerStore;
import io.ringflow.state.VersionedStore;
import io.ringflow.state.WindowStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;

/** What one shard's operator instance knows about where it runs. */
public final class OperatorContext {

    private final String name;
    private final String kind;
    private final int shard;
    private final ErrorHandler errorHandler;
    private final StateStores stores;
    private final ShardClock clock;
    private Output sideOutput;
    private SideOutputs sideOutputs = SideOutputs.NONE;
    private ShardCounter recordsOut;
    /** The stores this operator's shard has open, by state partition. */
    private final Map<Integer, List<OpenStore>> openStores = new TreeMap<>();

    /** How to write a store through, and how to close it for good when its partition leaves. */
    private record OpenStore(Runnable flush, Runnable closeForGood) {
    }

    public OperatorContext(String name, String kind, int shard, ErrorHandler errorHandler, StateStores stores,
                           ShardClock clock) {
        this.name = name;
        this.kind = kind;
        this.shard = shard;
        this.errorHandler = errorHandler;
        this.stores = stores;
        this.clock = clock;
    }

    /** Where the operator's side output (late records) goes, or {@code null} if nowhere. */
    public Output sideOutput() {
        return sideOutput;
    }

    public void sideOutput(Output output) {
        this.sideOutput = output;
    }

    /** Where a {@code process} operator's tagged side outputs go; {@link SideOutputs#NONE} if nowhere. */
    public SideOutputs sideOutputs() {
        return sideOutputs;
    }

    public void sideOutputs(SideOutputs outputs) {
        this.sideOutputs = outputs;
    }

    /** The shard's watermark and the current record's ingest time. */
    public ShardClock clock() {
        return clock;
    }

    public String name() {
        return name;
    }

    public String kind() {
        return kind;
    }

    public int shard() {
        return shard;
    }

    /**
     * Hands a record whose processing threw to the error handler. Returns when the handler
     * chose to skip it; throws {@link io.ringflow.error.RecordProcessingException} when the
     * pipeline must fail.
     */
    public void recordFailure(Object key, Object value, long timestamp, Exception cause) {
        FailedRecord failed = new FailedRecord(name, kind, shard, key, value, timestamp, cause);
        if (cause instanceof MissingSerdeException || cause instanceof StateDeclarationException) {
            // A configuration mistake: every record would fail the same way, so no handler gets it.
            stores.metrics().errors(name, "failed").increment();
            throw new RecordProcessingException(failed);
        }
        handleFailure(errorHandler, stores.metrics(), failed);
    }

    /**
     * The failure of the whole pipeline for a {@link Error} user code threw on a record (out of
     * memory, a stack overflow, a linkage error): no error handler can make such a record good,
     * but the failure names the operator and the record, not only the thread.
     */
    public RecordProcessingException fatal(Object key, Object value, long timestamp, Error cause) {
        stores.metrics().errors(name, "failed").increment();
        return new RecordProcessingException(
                new FailedRecord(name, kind, shard, key, value, timestamp, cause));
    }

    /** Hands {@code failed} to {@code handler} and counts what the handler did with it. */
    public static void handleFailure(ErrorHandler handler, PipelineMetrics metrics, FailedRecord failed) {
        try {
            handler.handle(failed);
        } catch (RuntimeException e) {
            metrics.errors(failed.operator(), "failed").increment();
            throw e;
        }
        metrics.errors(failed.operator(), handler.outcome()).increment();
    }

    public PipelineMetrics metrics() {
        return stores.metrics();
    }

    /** Whether windows close on their partition's own watermark rather than the shard's; see {@link StateStores}. */
    public boolean partitionedEventTime() {
        return stores.partitionedEventTime();
    }

    /** This operator's shard's {@code ringflow.records.out} count, registered on first use. */
    public ShardCounter recordsOut() {
        if (recordsOut == null) {
            recordsOut = stores.metrics().recordsOut(name, shard);
        }
        return recordsOut;
    }

    /**
     * This shard's store for the operator's keyed state of state partition {@code partition},
     * named after the operator, with the serdes and backend {@code materialized} asks for
     * ({@code defaultValueSerde} when it declares none and the operator knows its value type).
     */
    @SuppressWarnings("unchecked")
    public KeyValueStore<Object, Object> keyValueStore(Materialized<?, ?> materialized, Serde<?> defaultValueSerde,
                                                       int partition) {
        Serde<Object> keySerde = keySerde(materialized);
        Serde<Object> valueSerde = materialized.valueSerde() != null ? (Serde<Object>) materialized.valueSerde()
                : defaultValueSerde != null ? (Serde<Object>) defaultValueSerde : new InferredSerde<>(name, "value");
        StateBackend backend = stores.backend(name, materialized.isInMemory());
        MeteredKeyValueStore<Object, Object> store = new MeteredKeyValueStore<>(
                backend.keyValueStore(shard, storeName(partition), keySerde, valueSerde), shard, stores.metrics());
        register(partition, store::flush, () -> {
            store.close();
            store.removeMeters();
        });
        return store;
    }

    /**
     * This shard's window store for the operator's state partition {@code partition}, named
     * after it, with the serdes and backend {@code materialized} asks for.
     */
    public <A> WindowStore<Object, A> windowStore(Materialized<?, ?> materialized, Serde<A> valueSerde, int partition) {
        return windowStore(materialized, "", valueSerde, partition);
    }

    /**
     * Like {@link #windowStore(Materialized, Serde, int)}, named after that partition's store
     * plus {@code suffix} (empty, or starting with a dot), so an operator with two window stores
     * (an interval join's two sides) has both checkpointed, dropped and imported with the partition.
     */
    public <A> WindowStore<Object, A> windowStore(Materialized<?, ?> materialized, String suffix, Serde<A> valueSerde,
                                                  int partition) {
        Serde<Object> keySerde = keySerde(materialized);
        MeteredWindowStore<Object, A> store = new MeteredWindowStore<>(stores.backend(name, materialized.isInMemory())
                .windowStore(shard, storeName(partition) + suffix, keySerde, valueSerde), shard, stores.metrics());
        register(partition, store::flush, () -> {
            store.close();
            store.removeMeters();
        });
        return store;
    }

    /**
     * This shard's timer store {@code suffix} of the operator's state partition {@code partition}:
     * named after that partition's store plus {@code suffix} (which starts with a dot), so a
     * checkpoint, a drop and an import of the partition take it with the rest of its state. Keys
     * use {@code materialized}'s key serde, or one inferred from their types.
     */
    public TimerStore<Object> timerStore(Materialized<?, ?> materialized, String suffix, int partition) {
        StateBackend backend = stores.backend(name, materialized.isInMemory());
        MeteredTimerStore<Object> store = new MeteredTimerStore<>(
                backend.timerStore(shard, storeName(partition) + suffix, keySerde(materialized)), shard, stores.metrics());
        register(partition, store::flush, () -> {
            store.close();
            store.removeMeters();
        });
        return store;
    }

    /**
     * This shard's store {@code suffix} (starting with a dot) of the operator's state partition
     * {@code partition}, with the serdes given: named and carried as {@link #timerStore} is.
     */
    public <K, V> KeyValueStore<K, V> keyValueStore(Materialized<?, ?> materialized, String suffix, Serde<K> keySerde,
                                                    Serde<V> valueSerde, int partition) {
        MeteredKeyValueStore<K, V> store = new MeteredKeyValueStore<>(stores.backend(name, materialized.isInMemory())
                .keyValueStore(shard, storeName(partition) + suffix, keySerde, valueSerde), shard, stores.metrics());
        register(partition, store::flush, () -> {
            store.close();
            store.removeMeters();
        });
        return store;
    }

    /** Like {@link #timerStore(Materialized, String, int)}, with keys that {@code keySerde} writes. */
    public <K> TimerStore<K> timerStore(Materialized<?, ?> materialized, String suffix, Serde<K> keySerde,
                                        int partition) {
        MeteredTimerStore<K> store = new MeteredTimerStore<>(stores.backend(name, materialized.isInMemory())
                .timerStore(shard, storeName(partition) + suffix, keySerde), shard, stores.metrics());
        register(partition, store::flush, () -> {
            store.close();
            store.removeMeters();
        });
        return store;
    }

    /**
     * The suffixes of the stores of state partition {@code partition} that the backend holds
     * from an earlier run or an import, beyond the partition's own store: {@code ".event-timers"}, ...
     */
    public List<String> storedSuffixes(Materialized<?, ?> materialized, int partition) {
        String prefix = storeName(partition) + ".";
        List<String> suffixes = new ArrayList<>();
        for (String store : stores.backend(name, materialized.isInMemory()).storeNames(shard)) {
            if (store.startsWith(prefix)) {
                suffixes.add(store.substring(prefix.length() - 1));
            }
        }
        return suffixes;
    }

    /** The serde of the operator's keys in its stores: {@code materialized}'s, or one inferred from their types. */
    public Serde<Object> stateKeySerde(Materialized<?, ?> materialized) {
        return keySerde(materialized);
    }

    /**
     * This shard's versioned store {@code suffix} of the operator's state partition
     * {@code partition}: named after that partition's store plus {@code suffix} (which starts with
     * a dot), so a checkpoint, a drop and an import of the partition take it with the rest of its
     * state. Serdes and backend as {@code materialized} asks, else inferred from the types.
     */
    @SuppressWarnings("unchecked")
    public VersionedStore<Object, Object> versionedStore(Materialized<?, ?> materialized, String suffix,
                                                         int partition) {
        Serde<Object> valueSerde = materialized.valueSerde() != null ? (Serde<Object>) materialized.valueSerde()
                : new InferredSerde<>(name, "value");
        VersionedStore<Object, Object> store = stores.backend(name, materialized.isInMemory())
                .versionedStore(shard, storeName(partition) + suffix, keySerde(materialized), valueSerde);
        register(partition, store::flush, store::close);
        return store;
    }

    private void register(int partition, Runnable flush, Runnable close) {
        openStores.computeIfAbsent(partition, p -> new ArrayList<>(1)).add(new OpenStore(flush, close));
    }

    /**
     * The backend's name of the operator's store for state partition {@code partition}: the
     * operator's name for partition 0 (every unpartitioned source), {@code name#partition}
     * otherwise, so each partition's state is one unit that can be dropped or copied whole.
     */
    public String storeName(int partition) {
        return partition == 0 ? name : name + "#" + partition;
    }

    /** The state partitions of this operator that the backend holds data for on this shard (after a restore). */
    public int[] storedPartitions(Materialized<?, ?> materialized) {
        TreeSet<Integer> partitions = new TreeSet<>();
        for (String store : stores.backend(name, materialized.isInMemory()).storeNames(shard)) {
            if (store.equals(name)) {
                partitions.add(0);
            } else if (store.startsWith(name + "#") && store.indexOf('.', name.length()) < 0) {
                try {
                    partitions.add(Integer.parseInt(store.substring(name.length() + 1)));
                } catch (NumberFormatException notOurs) {
                    // another operator's store whose name starts like this one's
                }
            }
        }
        return partitions.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Writes every store this operator's shard opened through to its backend (before a checkpoint). */
    public void flushState() {
        for (List<OpenStore> partition : openStores.values()) {
            for (OpenStore store : partition) {
                store.flush().run();
            }
        }
    }

    /**
     * Partition {@code partition}'s state leaves this instance (its new owner takes it from the
     * last checkpoint): closes the operator's stores of it and deletes their data. The operator
     * must forget its own references to them first.
     */
    public void dropPartition(Materialized<?, ?> materialized, int partition) {
        closePartition(partition);
        stores.backend(name, materialized.isInMemory()).dropStore(shard, storeName(partition));
    }

    /**
     * Partition {@code partition}'s state arrives: replaces whatever this shard held of it with
     * the copy in checkpoint directory {@code checkpoint}, or with nothing when it is {@code null}.
     */
    public void adoptPartition(Materialized<?, ?> materialized, int partition, Path checkpoint) {
        closePartition(partition);
        StateBackend backend = stores.backend(name, materialized.isInMemory());
        if (checkpoint == null) {
            backend.dropStore(shard, storeName(partition));
        } else {
            backend.importStore(shard, storeName(partition), checkpoint);
        }
    }

    private void closePartition(int partition) {
        List<OpenStore> open = openStores.remove(partition);
        if (open != null) {
            for (OpenStore store : open) {
                store.closeForGood().run();
            }
        }
    }

    /** A counter of this operator's, summed over shards, for the pipeline to report (late records, ...). */
    public LongAdder counter(String metric) {
        return stores.counter(name, metric);
    }

    /** The declared key serde, or one inferred from the keys' types. */
    @SuppressWarnings("unchecked")
    private Serde<Object> keySerde(Materialized<?, ?> materialized) {
        return materialized.keySerde() != null ? (Serde<Object>) materialized.keySerde() : new InferredSerde<>(name, "key");
    }

    /** Where an operator's stores are created: the pipeline's backend, or the heap when asked. */
    public interface StateStores {
        /** The backend for operator {@code operator}'s state: the heap when {@code inMemory}. */
        StateBackend backend(String operator, boolean inMemory);

        /** The pipeline's meters. */
        PipelineMetrics metrics();

        /**
         * Whether each state partition keeps its own event time (shared checkpoints): windows of a
         * partition close on that partition's watermark, so they close the same on whichever
         * instance the partition runs, as Kafka Streams' per-task stream time does.
         */
        default boolean partitionedEventTime() {
            return false;
        }

        /** The pipeline's counter {@code metric} of operator {@code operator}, shared by its shards. */
        default LongAdder counter(String operator, String metric) {
            return new LongAdder();
        }
    }
}
