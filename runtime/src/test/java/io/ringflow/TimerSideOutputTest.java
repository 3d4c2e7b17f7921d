package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.function.Collector;
import io.ringflow.function.KeyedProcessFunction;
import io.ringflow.function.TimeDomain;
import io.ringflow.testing.TestRecord;
import io.ringflow.testing.TopologyTestDriver;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ctx.output(tag, value)} in {@code onTimer}: the value reaches the tag's stream with the
 * timer's key and timestamp, for timers of both domains, and a later keyed stage counts it.
 */
class TimerSideOutputTest {

    private static final OutputTag<String> EXPIRED = OutputTag.of("expired", String.class);

    /** Each record's key gets a timer of each domain 10 ms after it; when they fire, the side output says which. */
    private static final class Expiry implements KeyedProcessFunction<String, String, String> {
        @Override
        public void process(String value, Context<String> ctx, Collector<String> out) {
            out.collect("seen " + value);
            ctx.timers().registerEventTimeTimer(ctx.timestamp() + 10);
            ctx.timers().registerProcessingTimeTimer(ctx.timers().currentProcessingTime() + 10);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext<String> ctx, Collector<String> out) {
            ctx.output(EXPIRED, ctx.key() + (ctx.timeDomain() == TimeDomain.EVENT_TIME ? " by event time" : " by the clock"));
        }
    }

    @Test
    void aTimersSideOutputCarriesItsKeyAndTimestampIntoTheTagsStream() {
        StreamBuilder builder = new StreamBuilder("expiry");
        KeyedStream<String, String> seen = builder.source("in", CollectionSource.<String>of())
                .keyBy(value -> value, Named.as("by-value"))
                .process(new Expiry(), Named.as("expiry"));
        seen.to(new CollectingSink<>(), Named.as("seen"));
        KeyedStream<String, String> expired = seen.sideOutput(EXPIRED);
        expired.to(new CollectingSink<>(), Named.as("expired"));
        expired.count(Named.as("expired-per-key")).to(new CollectingSink<>(), Named.as("expired-counts"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("in").pipe("a", 100).pipe("b", 105);
            driver.advanceWatermark(112);
            driver.advanceProcessingTime(java.time.Duration.ofMillis(10));
            assertEquals(List.of(new TestRecord<>(KeyValue.of("a", "seen a"), 100),
                    new TestRecord<>(KeyValue.of("b", "seen b"), 105)),
                    driver.<KeyValue<String, String>>output("seen").readRecordsToList());
            assertEquals(List.of(new TestRecord<>(KeyValue.of("a", "a by event time"), 110),
                    new TestRecord<>(KeyValue.of("a", "a by the clock"), 10),
                    new TestRecord<>(KeyValue.of("b", "b by the clock"), 10)),
                    driver.<KeyValue<String, String>>output("expired").readRecordsToList());
            driver.advanceWatermark(200);
            assertEquals(List.of(new TestRecord<>(KeyValue.of("b", "b by event time"), 115)),
                    driver.<KeyValue<String, String>>output("expired").readRecordsToList());
            assertEquals(List.of(KeyValue.of("a", 1L), KeyValue.of("a", 2L), KeyValue.of("b", 1L),
                    KeyValue.of("b", 2L)), driver.<KeyValue<String, Long>>output("expired-counts").readValuesToList());
        }
    }
}
