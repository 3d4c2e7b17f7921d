package io.ringflow;

import io.ringflow.error.ErrorHandler;

/**
 * How a topology runs: parallelism, ring size, wait strategy, error handling. Immutable;
 * every {@code with...} returns a new instance.
 *
 * <pre>{@code
 * PipelineConfig config = PipelineConfig.defaults()
 *         .withParallelism(2)
 *         .withErrorHandler(ErrorHandler.logAndContinue());
 * }</pre>
 */
public final class PipelineConfig {

    private static final int DEFAULT_RING_SIZE = 1024;

    private final int parallelism;
    private final int ringSize;
    private final RingWaitStrategy waitStrategy;
    private final ErrorHandler errorHandler;

    private PipelineConfig(int parallelism, int ringSize, RingWaitStrategy waitStrategy, ErrorHandler errorHandler) {
        this.parallelism = parallelism;
        this.ringSize = ringSize;
        this.waitStrategy = waitStrategy;
        this.errorHandler = errorHandler;
    }

    /**
     * Parallelism 1, ring size 1024, {@link RingWaitStrategy#BLOCKING}, and
     * {@link ErrorHandler#failPipeline()}.
     */
    public static PipelineConfig defaults() {
        return new PipelineConfig(1, DEFAULT_RING_SIZE, RingWaitStrategy.BLOCKING, ErrorHandler.failPipeline());
    }

    /**
     * Number of shards of every stage: each shard is one ring buffer and one consumer thread,
     * and each key lives on exactly one shard.
     */
    public PipelineConfig withParallelism(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        return new PipelineConfig(parallelism, ringSize, waitStrategy, errorHandler);
    }

    /**
     * Slots per ring buffer, a power of two. Each slot is allocated once, up front. A larger
     * ring absorbs longer bursts before the source is slowed; a smaller one keeps less in
     * flight (less to drain on stop, lower queueing latency under overload).
     */
    public PipelineConfig withRingSize(int ringSize) {
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("ring size must be a power of two (>= 2), got " + ringSize
                    + "; use " + Math.max(2, Integer.highestOneBit(Math.max(ringSize, 1)) << 1));
        }
        return new PipelineConfig(parallelism, ringSize, waitStrategy, errorHandler);
    }

    /** How consumer threads wait for records; see {@link RingWaitStrategy} for the costs. */
    public PipelineConfig withWaitStrategy(RingWaitStrategy waitStrategy) {
        if (waitStrategy == null) {
            throw new IllegalArgumentException("wait strategy must not be null");
        }
        return new PipelineConfig(parallelism, ringSize, waitStrategy, errorHandler);
    }

    /** What happens to a record whose processing throws; see {@link ErrorHandler}. */
    public PipelineConfig withErrorHandler(ErrorHandler errorHandler) {
        if (errorHandler == null) {
            throw new IllegalArgumentException("error handler must not be null; use ErrorHandler.failPipeline()");
        }
        return new PipelineConfig(parallelism, ringSize, waitStrategy, errorHandler);
    }

    public int parallelism() {
        return parallelism;
    }

    public int ringSize() {
        return ringSize;
    }

    public RingWaitStrategy waitStrategy() {
        return waitStrategy;
    }

    public ErrorHandler errorHandler() {
        return errorHandler;
    }

    @Override
    public String toString() {
        return "PipelineConfig{parallelism=" + parallelism + ", ringSize=" + ringSize
                + ", waitStrategy=" + waitStrategy + '}';
    }
}
