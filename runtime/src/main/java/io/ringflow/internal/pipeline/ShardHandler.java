package io.ringflow.internal.pipeline;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.EventHandler;
import io.ringflow.internal.PipelineAbortedException;
import io.ringflow.internal.plan.ShardChain;

/**
 * The consumer of one shard's ring buffer: hands each record to the stage's fused chain,
 * flushes the chain at the end of every batch, and, once every input of the shard has
 * ended, closes the chain and tells the next stages. Runs on the shard's one thread.
 */
final class ShardHandler implements EventHandler<RecordEvent> {

    private final String name;
    private final ShardChain chain;
    private final int expectedEnds;
    private final CurrentRecord current;
    private final PipelineRuntime runtime;
    private BatchEventProcessor<RecordEvent> processor;
    private int ends;
    private boolean done;
    private boolean closed;

    ShardHandler(String name, ShardChain chain, int expectedEnds, CurrentRecord current, PipelineRuntime runtime) {
        this.name = name;
        this.chain = chain;
        this.expectedEnds = expectedEnds;
        this.current = current;
        this.runtime = runtime;
    }

    void attach(BatchEventProcessor<RecordEvent> processor) {
        this.processor = processor;
    }

    @Override
    public void onStart() {
        try {
            chain.open();
            if (expectedEnds == 0) {
                // A shard no input reaches (fewer source readers than shards) ends at once.
                finish();
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    @Override
    public void onEvent(RecordEvent event, long sequence, boolean endOfBatch) {
        if (done) {
            return;
        }
        try {
            if (event.kind == RecordEvent.RECORD) {
                current.ingestNanos = event.ingestNanos;
                chain.entry(event.entry).push(event.key, event.value, event.timestamp);
            } else if (++ends == expectedEnds) {
                finish();
                return;
            }
            if (endOfBatch) {
                chain.endOfBatch();
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    @Override
    public void onShutdown() {
        if (!closed) {
            closed = true;
            try {
                chain.close();
            } catch (Throwable t) {
                fail(t);
            }
        }
    }

    private void finish() {
        chain.endOfBatch();
        done = true;
        closed = true;
        chain.close();
        chain.endOfInput();
        processor.halt();
    }

    private void fail(Throwable t) {
        done = true;
        if (!(t instanceof PipelineAbortedException)) {
            runtime.fail(t, name);
        }
    }
}
