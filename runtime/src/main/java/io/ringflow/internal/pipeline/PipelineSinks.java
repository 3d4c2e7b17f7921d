package io.ringflow.internal.pipeline;

import io.ringflow.PipelineFailedException;
import io.ringflow.RingflowException;
import io.ringflow.Sink;
import io.ringflow.TransactionalSink;
import io.ringflow.internal.checkpoint.CheckpointCoordinator;
import io.ringflow.internal.graph.Node;
import io.ringflow.internal.graph.SinkNode;
import io.ringflow.internal.plan.Stage;
import io.ringflow.internal.plan.StagePlan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plan's sinks through the pipeline's life: the exactly-once ones recover their
 * transactions at construction, every sink opens at start and closes once, on the last thread
 * to end. Every shard writes to the same sink instance, so each instance is handled once,
 * however many sink nodes share it.
 */
final class PipelineSinks {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineSinks.class);

    /** What the exactly-once sinks committed: the newest checkpoint a restore may use, and the highest id used. */
    record Recovery(long bound, long committed) {
        static final Recovery NONE = new Recovery(Long.MAX_VALUE, 0);
    }

    private final String pipeline;
    private final List<SinkNode> sinks;
    /** The transactional sinks: they commit with checkpoints. */
    private final List<CheckpointCoordinator.Committer> committers;

    PipelineSinks(String pipeline, StagePlan plan) {
        this.pipeline = pipeline;
        this.sinks = distinct(plan);
        List<CheckpointCoordinator.Committer> transactional = new ArrayList<>();
        for (SinkNode node : sinks) {
            if (node.sink() instanceof TransactionalSink<?> sink) {
                transactional.add(new CheckpointCoordinator.Committer(node.name(), sink));
            }
        }
        this.committers = List.copyOf(transactional);
    }

    /** Each sink instance once, in plan order, however many sink nodes share it. */
    static List<SinkNode> distinct(StagePlan plan) {
        Set<Sink<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<SinkNode> sinks = new ArrayList<>();
        for (Stage stage : plan.stages()) {
            for (Node node : stage.nodes()) {
                if (node instanceof SinkNode sinkNode && seen.add(sinkNode.sink())) {
                    sinks.add(sinkNode);
                }
            }
        }
        return sinks;
    }

    List<CheckpointCoordinator.Committer> committers() {
        return committers;
    }

    /**
     * Has each exactly-once sink settle its open transactions and say which checkpoint it last
     * committed: a restore must not go past the oldest of those, and new ids continue after the newest.
     */
    Recovery recover() {
        long bound = Long.MAX_VALUE;
        long committed = 0;
        for (CheckpointCoordinator.Committer committer : committers) {
            long id = recover(committer);
            bound = Math.min(bound, id);
            committed = Math.max(committed, id);
        }
        return new Recovery(bound, committed);
    }

    private long recover(CheckpointCoordinator.Committer committer) {
        try {
            long id = committer.sink().recover();
            LOG.info("pipeline '{}': sink '{}' last committed checkpoint {}", pipeline, committer.name(), id);
            return id;
        } catch (Exception e) {
            throw new RingflowException("pipeline '" + pipeline + "': sink '" + committer.name()
                    + "' could not recover its transactions: " + e.getMessage(), e);
        }
    }

    /** Opens every sink; if one cannot open, closes those already opened and says which failed. */
    void open() {
        List<SinkNode> opened = new ArrayList<>();
        for (SinkNode node : sinks) {
            try {
                node.sink().open();
                opened.add(node);
            } catch (Exception e) {
                for (SinkNode done : opened) {
                    try {
                        done.sink().close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw new PipelineFailedException("pipeline '" + pipeline + "' could not start: sink '" + node.name()
                        + "' failed to open: " + e.getMessage(), e, null);
            }
        }
    }

    /** Closes every sink, by the last thread to end, before anyone waiting on termination is released. */
    void close(RunState runState) {
        for (SinkNode sinkNode : sinks) {
            try {
                sinkNode.sink().close();
            } catch (Throwable t) {
                runState.fail(t, "closing sink '" + sinkNode.name() + "'");
            }
        }
    }

    /** Closes the exactly-once sinks recovered for a pipeline that will never start. */
    void closeTransactional() {
        for (CheckpointCoordinator.Committer committer : committers) {
            try {
                committer.sink().close();
            } catch (Exception e) {
                LOG.warn("pipeline '{}': closing sink '{}' failed", pipeline, committer.name(), e);
            }
        }
    }
}
