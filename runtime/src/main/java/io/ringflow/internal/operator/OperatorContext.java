package io.ringflow.internal.operator;

import io.ringflow.error.ErrorHandler;
import io.ringflow.error.FailedRecord;
import io.ringflow.state.InMemoryKeyValueStore;
import io.ringflow.state.KeyValueStore;

/** What one shard's operator instance knows about where it runs. */
public final class OperatorContext {

    private final String name;
    private final String kind;
    private final int shard;
    private final ErrorHandler errorHandler;

    public OperatorContext(String name, String kind, int shard, ErrorHandler errorHandler) {
        this.name = name;
        this.kind = kind;
        this.shard = shard;
        this.errorHandler = errorHandler;
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
        errorHandler.handle(new FailedRecord(name, kind, shard, key, value, timestamp, cause));
    }

    /** This shard's store for the operator's keyed state, named after the operator. */
    public KeyValueStore<Object, Object> keyValueStore() {
        return new InMemoryKeyValueStore<>(name);
    }
}
