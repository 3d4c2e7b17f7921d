package io.ringflow.internal.pipeline;

import io.ringflow.PipelineConfig;
import io.ringflow.internal.graph.SourceNode;
import io.ringflow.internal.plan.Stage;
import io.ringflow.internal.plan.StagePlan;
import java.util.function.BiPredicate;

/**
 * The name of every thread a pipeline runs, in one place, and the list of them that
 * {@code Topology.describe} shows: the pipeline creates its threads with these names, so the
 * description cannot name a thread that does not exist or miss one that does. Every name starts
 * with {@code ringflow-<pipeline>-}. Internal to Ringflow, not an API.
 */
public final class ThreadNames {

    private ThreadNames() {
    }

    /** How every thread of pipeline {@code pipeline} is named at first. */
    static String prefix(String pipeline) {
        return "ringflow-" + pipeline + "-";
    }

    /** Runs reader {@code reader} of source {@code source}. */
    static String sourceReader(String pipeline, String source, int reader) {
        return prefix(pipeline) + "source-" + source + "-" + reader;
    }

    /** Consumes the ring of shard {@code shard} of stage {@code stage}. */
    static String shard(String pipeline, int stage, int shard) {
        return prefix(pipeline) + "stage" + stage + "-shard" + shard;
    }

    /** Ticks processing time into every ring, when something needs it to pass without records. */
    static String timer(String pipeline) {
        return prefix(pipeline) + "timer";
    }

    /** Triggers periodic checkpoints. */
    static String checkpointScheduler(String pipeline) {
        return prefix(pipeline) + "checkpoints";
    }

    /** Checkpoints shard {@code shard}'s database beside the others, while a checkpoint is written. */
    static String checkpointHelper(String pipeline, int shard) {
        return prefix(pipeline) + "checkpoint-shard-" + shard;
    }

    /**
     * Every thread a pipeline of {@code plan} with {@code config} runs, one line each: its name
     * and what it does. The section of the topology's description that makes every thread visible.
     */
    public static String describe(String pipeline, StagePlan plan, PipelineConfig config) {
        StringBuilder out = new StringBuilder("Threads:\n");
        ReaderLayout layout = new ReaderLayout(plan, config.parallelism(), config.sourceChaining());
        int g = 0;
        for (SourceNode source : plan.sources()) {
            int stage = plan.edge(source, null).target().id();
            for (int reader = 0; reader < source.source().readers(); reader++, g++) {
                int shard = layout.shardOf(g);
                line(out, sourceReader(pipeline, source.name(), reader), "runs reader " + reader + " of source '"
                        + source.name() + "'" + (layout.chained(stage, shard)
                        ? " and the chain of stage " + stage + " shard " + shard : ""));
            }
        }
        for (Stage stage : plan.stages()) {
            for (int shard = 0; shard < config.parallelism(); shard++) {
                if (!layout.chained(stage.id(), shard)) {
                    line(out, shard(pipeline, stage.id(), shard), "consumes the ring of stage " + stage.id()
                            + " shard " + shard);
                }
            }
        }
        if (plan.timerPeriodMillis() > 0) {
            line(out, timer(pipeline), "ticks every " + plan.timerPeriodMillis() + " ms");
        }
        describeCheckpoints(out, pipeline, plan, config);
        return out.toString();
    }

    /**
     * Whether a pipeline of {@code plan} with {@code config} runs the chain of a stage's shard
     * on the thread of the reader that feeds it (stage, then shard).
     */
    public static BiPredicate<Integer, Integer> chained(StagePlan plan, PipelineConfig config) {
        ReaderLayout layout = new ReaderLayout(plan, config.parallelism(), config.sourceChaining());
        return layout::chained;
    }

    private static void describeCheckpoints(StringBuilder out, String pipeline, StagePlan plan, PipelineConfig config) {
        if (config.checkpointInterval().isEmpty()) {
            return;
        }
        if (!config.checkpointInterval().get().isZero()) {
            line(out, checkpointScheduler(pipeline), "triggers a checkpoint every " + config.checkpointInterval().get()
                    + ", from start() to stop()");
        }
        if (PipelineState.usesRocksDb(plan, config)) {
            // The shard that completes a checkpoint flushes the first database itself.
            for (int shard = 1; shard < config.parallelism(); shard++) {
                line(out, checkpointHelper(pipeline, shard), "while a checkpoint is written: flushes shard " + shard
                        + "'s database beside the others");
            }
            out.append("  RocksDB's own flush and compaction threads are native (at most 2 jobs per shard's"
                    + " database) and not listed by the JVM\n");
        }
    }

    private static void line(StringBuilder out, String thread, String job) {
        out.append("  ").append(thread).append(": ").append(job).append('\n');
    }
}
