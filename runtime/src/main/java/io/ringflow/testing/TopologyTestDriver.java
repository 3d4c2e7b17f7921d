package io.ringflow.testing;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ringflow.internal.metrics.PipelineMetrics;
import io.ringflow.PipelineConfig;
import io.ringflow.PipelineFailedException;
import io.ringflow.Topology;
import io.ringflow.error.RecordProcessingException;
import io.ringflow.internal.graph.Node;
import io.ringflow.internal.graph.SinkNode;
import io.ringflow.internal.graph.SourceNode;
import io.ringflow.internal.operator.Exchange;
import io.ringflow.internal.operator.Operator;
import io.ringflow.internal.operator.PositionMark;
import io.ringflow.internal.operator.WindowOperator;
import io.ringflow.internal.operator.EventTimes;
import io.ringflow.internal.operator.OperatorContext;
import io.ringflow.internal.operator.ShardClock;
import io.ringflow.watermark.WatermarkGenerator;
import io.ringflow.watermark.Watermarks;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import io.ringflow.internal.plan.ChainBuilder;
import io.ringflow.internal.plan.Edge;
import io.ringflow.internal.plan.ShardChain;
import io.ringflow.internal.plan.Stage;
import io.ringflow.internal.plan.StagePlan;
import io.ringflow.internal.plan.TopologyPlans;
import io.ringflow.internal.plan.Wiring;
import io.ringflow.state.StateBackend;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a topology on the calling thread, one record at a time, with no ring buffers and no
 * threads: deterministic, for unit tests of a topology, like Kafka Streams'
 * {@code TopologyTestDriver}.
 *
 * <pre>{@code
 * try (TopologyTestDriver driver = new TopologyTestDriver(topology)) {
 *     driver.<String>input("lines").pipe("a b a");
 *     assertEquals(List.of(KeyValue.of("a", 1L), KeyValue.of("b", 1L), KeyValue.of("a", 2L)),
 *                  driver.<KeyValue<String, Long>>output("counts").readValuesToList());
 * }
 * }</pre>
 *
 * The same operators run as in a {@link io.ringflow.Pipeline}, with parallelism 1: a
 * {@code keyBy} calls the next stage directly, each piped record is one batch, and sinks are
 * not called; their output is captured for {@link #output(String)} instead. Sources are not
 * run; input comes from {@link #input(String)}. The config's error handler applies. Keyed
 * state is kept on the heap, whatever the config says, so tests leave nothing on disk.
 *
 * <p>Event time works as in the pipeline: each source with a watermark strategy keeps its
 * watermark, a piped record is judged against the watermark before it, and the minimum over
 * the sources moves on after it. {@link #advanceWatermark} and {@link #advanceProcessingTime}
 * move time by hand; no wall clock is read. Timers of a keyed {@code process} fire as in a
 * pipeline: event-time ones when the watermark moves past them (after a piped record, or on
 * {@code advanceWatermark}), processing-time ones on {@code advanceProcessingTime}.
 */
public final class TopologyTestDriver implements AutoCloseable {

    private final Topology topology;
    private final StagePlan plan;
    private final ShardChain[] chains;
    private final Map<String, SourceNode> sources = new LinkedHashMap<>();
    private final Map<String, TestOutput<Object>> outputs = new LinkedHashMap<>();
    private final CountingBackend state = new CountingBackend();
    private final OperatorContext.StateStores stores = new OperatorContext.StateStores() {
        @Override
        public StateBackend backend(String operator, boolean inMemory) {
            return state;
        }

        @Override
        public PipelineMetrics metrics() {
            return metrics;
        }

        @Override
        public LongAdder counter(String operator, String metric) {
            return metrics.operatorCounter(operator, metric, WindowOperator.LATE_RECORDS);
        }
    };
    /** The same meters as a pipeline's, in a registry of the driver's own. */
    private final PipelineMetrics metrics;
    /** One clock for every stage: with direct calls, all stages see the same watermark. */
    private final ShardClock clock = new ShardClock();
    private final Map<String, WatermarkGenerator> generators = new LinkedHashMap<>();
    private final Map<String, EventTimes> eventTimes = new LinkedHashMap<>();
    private long processingTime;
    private PipelineFailedException failure;
    private boolean closed;

    public TopologyTestDriver(Topology topology) {
        this(topology, PipelineConfig.defaults());
    }

    public TopologyTestDriver(Topology topology, PipelineConfig config) {
        this.topology = topology;
        this.plan = TopologyPlans.of(topology);
        this.metrics = new PipelineMetrics(config.meterRegistry().orElseGet(SimpleMeterRegistry::new), topology.name());
        for (SourceNode source : plan.sources()) {
            sources.put(source.name(), source);
            generators.put(source.name(), source.watermarks() == null ? null : source.watermarks().createGenerator());
            if (source.watermarks() != null) {
                eventTimes.put(source.name(), new EventTimes(source.watermarks(), source.name(), 0,
                        config.errorHandler(), metrics));
            }
        }
        clock.processingTime = () -> processingTime; // a process function's currentProcessingTime(): the driver's
        List<Stage> stages = plan.stages();
        this.chains = new ShardChain[stages.size()];
        Wiring wiring = new DirectWiring();
        for (Stage stage : stages) {
            chains[stage.id()] = ChainBuilder.build(plan, stage, 0, config.errorHandler(), wiring, stores, clock);
        }
        for (ShardChain chain : chains) {
            chain.open();
        }
    }

    /** The input of the source named {@code source}. */
    public <T> TestInput<T> input(String source) {
        if (!sources.containsKey(source)) {
            throw new IllegalArgumentException("topology '" + topology.name() + "' has no source named '" + source
                    + "'; its sources are " + sources.keySet());
        }
        return new TestInput<>(this, source);
    }

    /** What the sink named {@code sink} received (see {@code Named.as} on {@code to(...)}). */
    @SuppressWarnings("unchecked")
    public <T> TestOutput<T> output(String sink) {
        TestOutput<Object> output = outputs.get(sink);
        if (output == null) {
            throw new IllegalArgumentException("topology '" + topology.name() + "' has no sink named '" + sink
                    + "'; its sinks are " + outputs.keySet() + " (name one with to(sink, Named.as(\"...\")))");
        }
        return (TestOutput<T>) output;
    }

    void pipe(String source, Object value, long timestamp) {
        SourceNode node = sources.get(source);
        Edge edge = plan.edge(node, null);
        WatermarkGenerator generator = generators.get(source);
        EventTimes times = eventTimes.get(source);
        run(() -> {
            if (times != null && !times.assign(value, timestamp, processingTime)) {
                return; // the error handler has it (the drift guard judges by the driver's processing time)
            }
            long eventTime = times == null ? timestamp : times.eventTime();
            chains[edge.target().id()].entry(edge.entry()).push(null, value, eventTime);
            if (generator != null) {
                generator.onRecord(eventTime, processingTime);
                moveWatermarkTo(combinedWatermark());
            }
        });
    }

    /**
     * Moves event time on to {@code watermark} as if every source had sent it: event-time timers
     * due by then fire (earliest first, before later stages see the watermark), windows it
     * closes emit, and records older than it may then be late. {@code Long.MAX_VALUE} closes
     * every window and fires every event-time timer, as the end of a bounded input does. A
     * watermark that does not advance does nothing.
     */
    public void advanceWatermark(long watermark) {
        run(() -> moveWatermarkTo(watermark));
    }

    /**
     * Moves processing time on by {@code duration} (it starts at 0): what
     * {@code EmitStrategy.everyInterval} has due is emitted, and processing-time timers due by
     * then fire, earliest first. Only this fires them: a timer registered at or before the
     * current processing time fires on the next call, {@code Duration.ZERO} included.
     */
    public void advanceProcessingTime(Duration duration) {
        processingTime += duration.toMillis();
        run(() -> {
            for (ShardChain chain : chains) {
                chain.onProcessingTime(processingTime);
            }
        });
    }

    /**
     * The number of entries the key-value or timer store {@code store} holds now, exact (the
     * driver keeps state on the heap): {@code -1} if it has none of that name. Stores are named
     * after their operator: a keyed {@code process} named "alarm" has "alarm" (its values),
     * "alarm.event-timers", and "alarm.map.quotes" for its map state "quotes" (".list.",
     * ".value." for the other kinds), with "alarm.map.quotes.ttl-event" for that state's cleanup
     * timers under an event-time TTL (".ttl-processing" under a processing-time one). Cost: a
     * timer store writes its buffer first.
     */
    public long storedEntries(String store) {
        return state.entries(store);
    }

    /** The current watermark: the minimum over the sources' watermarks, or the last advanced to. */
    public long watermark() {
        return clock.watermark;
    }

    /**
     * Records window {@code window} dropped as late so far.
     *
     * @param window the name of the window operator: the {@code Named} given to its
     *               {@code count}, {@code reduce} or {@code aggregate}
     * @throws IllegalArgumentException if the topology has no window of that name; the
     *         message lists the names it has
     */
    public long lateRecords(String window) {
        plan.requireWindow(topology.name(), window);
        return metrics.operatorCount(window, WindowOperator.LATE_RECORDS);
    }

    private long combinedWatermark() {
        long min = Long.MAX_VALUE;
        for (WatermarkGenerator generator : generators.values()) {
            min = Math.min(min, generator == null ? Watermarks.NONE : generator.currentWatermark());
        }
        return min;
    }

    private void moveWatermarkTo(long watermark) {
        if (watermark > clock.watermark) {
            clock.watermark = clock.outgoingWatermark = watermark;
            for (ShardChain chain : chains) {
                chain.onWatermark(watermark);
            }
        }
    }

    private void run(Runnable step) {
        if (closed) {
            throw new IllegalStateException("the test driver is closed");
        }
        if (failure != null) {
            throw new IllegalStateException("the topology failed on an earlier record; create a new driver", failure);
        }
        try {
            step.run();
            for (ShardChain chain : chains) {
                chain.endOfBatch();
            }
        } catch (RecordProcessingException e) {
            failure = new PipelineFailedException("topology '" + topology.name() + "' failed: "
                    + e.record().describe(), e.record().cause(), e.record());
            throw failure;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            for (ShardChain chain : chains) {
                chain.close();
            }
        }
    }

    /** The driver's {@code ringflow.*} meters (records in and out, errors, late records, state). */
    public MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    /** Exchanges call the next stage's chain in place; sinks capture into test outputs. */
    private final class DirectWiring implements Wiring {

        DirectWiring() {
            for (Stage stage : plan.stages()) {
                for (Node node : stage.nodes()) {
                    if (node instanceof SinkNode) {
                        outputs.put(node.name(), new TestOutput<>(node.name()));
                    }
                }
            }
        }

        @Override
        public Exchange exchange(Edge edge, int shard) {
            return new Exchange() {
                @Override
                public void send(Object key, Object value, long timestamp) {
                    chains[edge.target().id()].entry(edge.entry()).push(key, value, timestamp);
                }

                @Override
                public void broadcastWatermark(long watermark) {
                }

                @Override
                public void broadcastIdle() {
                }

                @Override
                public void endOfInput(long watermark) {
                }

                // The driver runs no sources, so no position marks ever travel through it.
                @Override
                public int reach() {
                    return 0;
                }

                @Override
                public void broadcastMark(PositionMark mark) {
                }

                @Override
                public void broadcastBarrier(Object barrier) {
                }

                // The driver keeps one event time for everything: it has one partition.
                @Override
                public void broadcastPartitionWatermark(int partition, long watermark) {
                }

                // Nor does state move: the driver is one instance with one partition.
                @Override
                public void broadcastPartitions(Object change) {
                }
            };
        }

        @Override
        public Operator sink(OperatorContext context, SinkNode node) {
            TestOutput<Object> output = outputs.get(node.name());
            return new Operator(context) {
                @Override
                protected void process(Object key, Object value, long timestamp) {
                    output.add(value, timestamp);
                }
            };
        }
    }

}
