package io.ringflow.internal.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Source resources (a consumer group membership) that must outlive the source's thread: closing
 * them earlier would let another instance take the partitions over before the final checkpoint
 * recorded where this one stopped. The pipeline's last thread closes them after that checkpoint.
 */
final class DeferredCloses {

    private static final Logger LOG = LoggerFactory.getLogger(DeferredCloses.class);

    private record Deferred(AutoCloseable resource, String owner) {
    }

    private final String pipeline;
    /** Added to by source threads, closed by whichever thread ends last. */
    private final List<Deferred> deferred = new ArrayList<>();

    DeferredCloses(String pipeline) {
        this.pipeline = pipeline;
    }

    synchronized void add(AutoCloseable resource, String owner) {
        deferred.add(new Deferred(resource, owner));
    }

    /** Closes each resource added so far; a failure to close one is logged and the rest still close. */
    synchronized void closeAll() {
        for (Deferred each : deferred) {
            try {
                each.resource().close();
            } catch (Exception e) {
                LOG.warn("pipeline '{}': closing {} of {} failed", pipeline, each.resource(), each.owner(), e);
            }
        }
        deferred.clear();
    }
}
