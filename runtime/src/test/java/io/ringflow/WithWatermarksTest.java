package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.testing.TopologyTestDriver;
import io.ringflow.watermark.WatermarkStrategy;
import io.ringflow.windowing.TumblingWindows;
import io.ringflow.windowing.Windowed;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code withWatermarks} is the one call on a stream that changes something rather than adding
 * an operator: it sets its source's one watermark strategy, which every stream of that source
 * shares, and returns the same stream, as EventStream's Javadoc says.
 */
class WithWatermarksTest {

    /** An event "key@time" whose event time is in the value. */
    private static WatermarkStrategy<String> inOrder() {
        return WatermarkStrategy.<String>forBoundedOutOfOrderness(Duration.ZERO)
                .withTimestampExtractor((event, sourceTime) -> Long.parseLong(event.split("@")[1]));
    }

    @Test
    void returnsTheSameStreamNotANewOne() {
        EventStream<String> source = new StreamBuilder("same").source("events", CollectionSource.of("a@0"));
        assertSame(source, source.withWatermarks(inOrder()));
    }

    @Test
    void aStreamTakenBeforeTheCallHasEventTimeToo() {
        StreamBuilder builder = new StreamBuilder("shared");
        EventStream<String> source = builder.source("events", CollectionSource.of("a@0"));
        KeyedStream<String, String> keyedBefore = source.keyBy(event -> event.split("@")[0]);
        source.withWatermarks(inOrder());
        keyedBefore.window(TumblingWindows.of(Duration.ofMillis(10)))
                .count(Named.as("counts"))
                .to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<String>input("events").pipe("a@1").pipe("a@25");   // watermark 25 closes [0, 10)
            List<String> out = driver.<KeyValue<Windowed<String>, Object>>output("out").readValuesToList().stream()
                    .map(kv -> kv.key() + "=" + kv.value())
                    .toList();
            assertEquals(List.of("a@[0, 10)=1"), out, "without the source's event time this window would fail to build");
        }
    }

    @Test
    void aSecondStrategyForTheSameSourceFails() {
        EventStream<String> source = new StreamBuilder("twice").source("events", CollectionSource.of("a@0"));
        source.withWatermarks(inOrder());
        TopologyException e = assertThrows(TopologyException.class, () -> source.withWatermarks(inOrder()));
        assertEquals("source 'events' already has a watermark strategy; give it one, once", e.getMessage());
    }
}
