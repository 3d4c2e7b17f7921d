package io.ringflow.internal.pipeline;

import com.lmax.disruptor.ExceptionHandler;

/**
 * What a shard's consumer does with an exception its handler let through: fails the whole
 * pipeline, naming the shard's thread, so no stage runs on after one of its shards has died.
 */
final class FailOnException implements ExceptionHandler<RecordEvent> {

    private final RunState runState;
    private final String where;

    FailOnException(RunState runState, String where) {
        this.runState = runState;
        this.where = where;
    }

    @Override
    public void handleEventException(Throwable ex, long sequence, RecordEvent event) {
        runState.fail(ex, where);
    }

    @Override
    public void handleOnStartException(Throwable ex) {
        runState.fail(ex, where);
    }

    @Override
    public void handleOnShutdownException(Throwable ex) {
        runState.fail(ex, where);
    }
}
