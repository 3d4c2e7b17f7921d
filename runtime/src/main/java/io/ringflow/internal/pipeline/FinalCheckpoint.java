package io.ringflow.internal.pipeline;

import io.ringflow.internal.checkpoint.CheckpointCoordinator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoint a pipeline takes when it ends cleanly (stopped or out of input, all drained):
 * a restart resumes exactly where it stood, and transactional sinks commit their last output.
 * Taken on the pipeline's last thread, once every shard has ended and before the databases close.
 */
final class FinalCheckpoint {

    private final CheckpointCoordinator checkpoints;
    private final List<SourceReaderTask> readers;
    private final List<ShardHandler> handlers;
    private final RunState runState;

    FinalCheckpoint(CheckpointCoordinator checkpoints, List<SourceReaderTask> readers, List<ShardHandler> handlers,
                    RunState runState) {
        this.checkpoints = checkpoints;
        this.readers = readers;
        this.handlers = handlers;
        this.runState = runState;
    }

    /** Takes it, unless the pipeline failed or was halted: then the last periodic checkpoint stays the latest. */
    void take() {
        if (runState.failure() != null || runState.isAborted()) {
            return;
        }
        try {
            checkpoints.completeAtEnd(this::positions);
        } catch (Throwable t) {
            runState.fail(t, "the final checkpoint");
        }
    }

    /** Where every reader and shard stood at the end, for checkpoint {@code id}. */
    private Map<String, byte[]> positions(long id) {
        Map<String, byte[]> positions = new HashMap<>();
        for (SourceReaderTask reader : readers) {
            positions.put(reader.positionKey(), reader.finalPosition(id));
            byte[] watermarks = reader.partitionWatermarks();
            if (watermarks != null) {
                positions.put(reader.watermarksKey(), watermarks);
            }
        }
        for (ShardHandler handler : handlers) {
            handler.recordFinalWatermark(positions);
        }
        return positions;
    }
}
