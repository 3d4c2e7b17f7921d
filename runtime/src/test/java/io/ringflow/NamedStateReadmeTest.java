package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.function.ListState;
import io.ringflow.function.ListStateSpec;
import io.ringflow.function.MapState;
import io.ringflow.function.MapStateSpec;
import io.ringflow.function.Ttl;
import io.ringflow.testing.TestRecord;
import io.ringflow.testing.TopologyTestDriver;
import io.ringflow.watermark.WatermarkStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * README's named-state example, as written there: it compiles, positions add up per symbol,
 * and each fill leaves the last minute's list once the watermark is a minute past it.
 */
class NamedStateReadmeTest {

    record Fill(String account, String symbol, double quantity, long time) {
    }

    static final MapStateSpec<String, Double> POSITIONS = MapStateSpec.of("positions", String.class, Double.class);
    static final ListStateSpec<Double> LAST_MINUTE = ListStateSpec.of("last-minute", Double.class)
            .withTtl(Ttl.eventTime(Duration.ofMinutes(1)));

    @Test
    void theReadmePositionsAndLastMinuteOfFills() {
        StreamBuilder builder = new StreamBuilder("readme");
        builder.source("fills", CollectionSource.of(new Fill("x", "X", 0, 0)),
                        WatermarkStrategy.<Fill>forBoundedOutOfOrderness(Duration.ZERO)
                                .withTimestampExtractor((fill, sourceTime) -> fill.time()))
                .keyBy(Fill::account)
                .<String>process((fill, ctx, out) -> {
                    MapState<String, Double> positions = ctx.mapState(POSITIONS);    // symbol -> quantity held
                    Double held = positions.get(fill.symbol());
                    positions.put(fill.symbol(), (held == null ? 0 : held) + fill.quantity());
                    ListState<Double> lastMinute = ctx.listState(LAST_MINUTE);      // each fill gone after 1 min
                    lastMinute.add(fill.quantity());
                    out.collect(positions.entries() + ", last minute " + lastMinute.get());
                }, Named.as("positions"))
                .to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<Fill>input("fills").pipe(new Fill("A", "Y", 5, 0)).pipe(new Fill("A", "X", 3, 30_000))
                    .pipe(new Fill("B", "X", 1, 59_000)).pipe(new Fill("A", "X", -1, 60_000))
                    .pipe(new Fill("A", "Y", 2, 95_000));
            List<String> out = new ArrayList<>();
            for (TestRecord<KeyValue<String, String>> record : driver.<KeyValue<String, String>>output("out")
                    .readRecordsToList()) {
                out.add(record.value().key() + ": " + record.value().value());
            }
            assertEquals(List.of("A: [Y=5.0], last minute [5.0]", "A: [X=3.0, Y=5.0], last minute [5.0, 3.0]",
                    "B: [X=1.0], last minute [1.0]", "A: [X=2.0, Y=5.0], last minute [5.0, 3.0, -1.0]",
                    "A: [X=2.0, Y=7.0], last minute [3.0, -1.0, 2.0]"), out,
                    "a record reads against the watermark before it: at 60000 that is 59000, where the fill at 0"
                            + " still lives; at 95000 it is 60000, where it does not and the one at 30000 does");
            assertEquals(3, driver.storedEntries("positions.list.last-minute.ttl-event"),
                    "B's fill at 59000, A's at 60000 and 95000: the two before were deleted");
        }
    }
}
