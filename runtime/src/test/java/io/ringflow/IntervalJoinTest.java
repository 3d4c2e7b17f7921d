package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.function.ValueJoiner;
import io.ringflow.state.Serdes;
import io.ringflow.testing.TestInput;
import io.ringflow.testing.TestRecord;
import io.ringflow.testing.TopologyTestDriver;
import io.ringflow.watermark.WatermarkStrategy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code intervalJoin(...).between(before, after)} on the test driver: exact results of inner,
 * left and outer joins, with out-of-order and late records on both sides. Records are
 * {@code "key,timestamp,name"}; results read {@code "key left+right@timestamp"}.
 */
class IntervalJoinTest {

    static String key(String record) {
        return record.split(",")[0];
    }

    static long time(String record) {
        return Long.parseLong(record.split(",")[1]);
    }

    static String name(String record) {
        return record == null ? "null" : record.split(",")[2];
    }

    static WatermarkStrategy<String> eventTime(long outOfOrderness) {
        return WatermarkStrategy.<String>forBoundedOutOfOrderness(Duration.ofMillis(outOfOrderness))
                .withTimestampExtractor((record, sourceTime) -> time(record));
    }

    static final ValueJoiner<String, String, String> NAMES = (left, right) -> name(left) + "+" + name(right);

    /** {@code left.intervalJoin(right).between(before, after)} of the given type, into sink "out". */
    static Topology topology(String type, long before, long after, long outOfOrderness,
                             Sink<KeyValue<String, String>> sink, List<String> leftInput, List<String> rightInput) {
        StreamBuilder builder = new StreamBuilder("interval");
        KeyedStream<String, String> left = builder.source("left", CollectionSource.of(leftInput),
                eventTime(outOfOrderness)).keyBy(IntervalJoinTest::key);
        KeyedStream<String, String> right = builder.source("right", CollectionSource.of(rightInput),
                eventTime(outOfOrderness)).keyBy(IntervalJoinTest::key);
        IntervalJoined<String, String, String> joined = left.intervalJoin(right)
                .between(Duration.ofMillis(before), Duration.ofMillis(after));
        KeyedStream<String, String> results = switch (type) {
            case "inner" -> joined.join(NAMES, Named.as("join"));
            case "left" -> joined.leftJoin(NAMES, Named.as("join"));
            case "outer" -> joined.outerJoin(NAMES, Named.as("join"));
            default -> throw new IllegalArgumentException(type);
        };
        results.to(sink, Named.as("out"));
        return builder.build();
    }

    static TopologyTestDriver driver(String type, long before, long after, long outOfOrderness) {
        return new TopologyTestDriver(topology(type, before, after, outOfOrderness, new CollectingSink<>(),
                List.of("x,0,x"), List.of("x,0,x")));
    }

    /** What the driver's sink got since the last call, as {@code "key left+right@timestamp"}. */
    static List<String> results(TopologyTestDriver driver) {
        return driver.<KeyValue<String, String>>output("out").readRecordsToList().stream()
                .map(IntervalJoinTest::line).toList();
    }

    private static String line(TestRecord<KeyValue<String, String>> record) {
        return record.value().key() + " " + record.value().value() + "@" + record.timestamp();
    }

    @Test
    void innerJoinPairsEachMatchOnceWhicheverSideArrivesFirst() {
        try (TopologyTestDriver driver = driver("inner", 5, 10, 100)) {
            TestInput<String> left = driver.input("left");
            TestInput<String> right = driver.input("right");
            left.pipe("A,100,a1");
            right.pipe("A,95,b1");  // the interval's lower end, t - before: included
            right.pipe("A,94,b0");  // before it
            right.pipe("A,110,b2"); // its upper end, t + after: included
            right.pipe("A,111,b3");
            right.pipe("B,100,c1"); // another key
            assertEquals(List.of("A a1+b1@100", "A a1+b2@110"), results(driver));
            left.pipe("A,105,a2");  // out of order on the left, after its matches on the right
            assertEquals(List.of("A a2+b2@110", "A a2+b3@111"), results(driver));
            left.pipe("A,90,a0");   // [85, 100]: b1 and b0, out of order on both sides
            assertEquals(List.of("A a0+b0@94", "A a0+b1@95"), results(driver));
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of(), results(driver), "an inner join emits nothing on the watermark");
            assertEquals(0, driver.lateRecords("join"));
        }
    }

    @Test
    void recordsWithEqualTimestampsAllPair() {
        try (TopologyTestDriver driver = driver("inner", 0, 0, 0)) {
            driver.input("left").pipe("A,5,a1");
            driver.input("left").pipe("A,5,a2");
            driver.input("right").pipe("A,5,b1");
            driver.input("right").pipe("A,6,b2");
            driver.input("right").pipe("A,5,b3");
            assertEquals(List.of("A a1+b1@5", "A a2+b1@5", "A a1+b3@5", "A a2+b3@5"), results(driver));
        }
    }

    @Test
    void aRecordBeforeTheWatermarkIsLateOnEitherSideDroppedAndCounted() {
        try (TopologyTestDriver driver = driver("inner", 5, 10, 0)) {
            driver.input("left").pipe("A,10,a1");
            driver.input("right").pipe("A,12,b1");
            assertEquals(List.of("A a1+b1@12"), results(driver));
            assertEquals(10, driver.watermark());
            driver.input("right").pipe("A,9,b2");  // would match a1, but the watermark is past it
            driver.input("left").pipe("A,8,a0");   // would match b1
            assertEquals(List.of(), results(driver));
            assertEquals(2, driver.lateRecords("join"));
            driver.input("left").pipe("A,10,a2");  // at the watermark: not late
            assertEquals(List.of("A a2+b1@12"), results(driver));
            assertEquals(2, driver.meterRegistry().get("ringflow.records.late").tag("operator", "join")
                    .functionCounter().count());
        }
    }

    @Test
    void leftJoinEmitsAnUnmatchedLeftRecordOnceTheWatermarkPassesItsInterval() {
        try (TopologyTestDriver driver = driver("left", 5, 10, 0)) {
            driver.input("left").pipe("A,100,a1");
            driver.input("left").pipe("B,100,c1");
            driver.input("right").pipe("A,108,b1");
            driver.input("right").pipe("B,94,d0"); // just before c1's interval [95, 110]
            assertEquals(List.of("A a1+b1@108"), results(driver));
            driver.input("right").pipe("X,200,x");
            driver.input("left").pipe("Z,110,z");  // watermark 110 = c1's t + after: c1 may still match
            assertEquals(List.of(), results(driver));
            driver.input("right").pipe("B,110,d1"); // not late at 110: matches c1
            assertEquals(List.of("B c1+d1@110"), results(driver));
            driver.input("left").pipe("Y,111,y");  // watermark 111: a1 and c1 matched, nothing to emit
            assertEquals(List.of(), results(driver));
            driver.input("left").pipe("Y,121,y2"); // z at 110 expires: 110 + 10 < 121
            assertEquals(List.of("Z z+null@120"), results(driver));
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of("Y y+null@121", "Y y2+null@131"), results(driver));
        }
    }

    @Test
    void outerJoinEmitsTheUnmatchedRecordsOfBothSidesOnce() {
        try (TopologyTestDriver driver = driver("outer", 5, 10, 50)) {
            driver.input("left").pipe("A,100,a1");
            driver.input("right").pipe("A,90,b0");  // before a1's interval [95, 110]
            driver.input("right").pipe("A,104,b1");
            driver.input("left").pipe("A,200,a9");  // left watermark 150
            assertEquals(List.of("A a1+b1@104"), results(driver));
            driver.input("right").pipe("A,145,b2"); // watermark 95 = b0's u + before
            assertEquals(List.of(), results(driver));
            driver.input("right").pipe("A,146,b3"); // watermark 96 passes it
            assertEquals(List.of("A null+b0@95"), results(driver));
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of("A a9+null@210", "A null+b2@150", "A null+b3@151"), results(driver));
            assertEquals(0, driver.lateRecords("join"));
        }
    }

    /** An unmatched result leaves at the end of its interval, so a window after the join counts it. */
    @Test
    void anUnmatchedResultIsNotLateInAWindowAfterTheJoin() {
        StreamBuilder builder = new StreamBuilder("counted");
        KeyedStream<String, String> left = builder.source("left", CollectionSource.of("x,0,x"), eventTime(0))
                .keyBy(IntervalJoinTest::key);
        KeyedStream<String, String> right = builder.source("right", CollectionSource.of("x,0,x"), eventTime(0))
                .keyBy(IntervalJoinTest::key);
        left.intervalJoin(right).between(Duration.ZERO, Duration.ofMillis(10)).leftJoin(NAMES, Named.as("join"))
                .window(io.ringflow.windowing.TumblingWindows.of(Duration.ofMillis(10)))
                .count(Named.as("per-10ms")).toStream().to(new CollectingSink<>(), Named.as("counts"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.input("left").pipe("A,3,a1");
            driver.input("right").pipe("B,30,b");
            driver.input("left").pipe("B,30,a2"); // watermark 30: a1 expires at 13, and [10, 20) closes
            assertEquals(0, driver.lateRecords("per-10ms"));
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(0, driver.lateRecords("per-10ms"));
            assertEquals(List.of("[A@10]=1", "[B@30]=1"), driver.<KeyValue<Object, Long>>output("counts")
                    .readValuesToList().stream().map(kv -> "[" + windowed(kv.key()) + "]=" + kv.value()).toList());
        }
    }

    private static String windowed(Object key) {
        io.ringflow.windowing.Windowed<?> windowed = (io.ringflow.windowing.Windowed<?>) key;
        return windowed.key() + "@" + windowed.window().start();
    }

    @Test
    void negativeBoundsAndAValueSerdeInMaterializedAreRefused() {
        StreamBuilder builder = new StreamBuilder("refused");
        KeyedStream<String, String> left = builder.source("left", CollectionSource.of("x,0,x"))
                .keyBy(IntervalJoinTest::key);
        KeyedStream<String, String> right = builder.source("right", CollectionSource.of("x,0,x"))
                .keyBy(IntervalJoinTest::key);
        TopologyException negative = assertThrows(TopologyException.class,
                () -> left.intervalJoin(right).between(Duration.ofMillis(-1), Duration.ZERO));
        assertTrue(negative.getMessage().contains("before = PT-0.001S"), negative.getMessage());
        TopologyException serde = assertThrows(TopologyException.class, () -> left.intervalJoin(right)
                .between(Duration.ZERO, Duration.ZERO)
                .join(NAMES, null, Materialized.with(Serdes.string(), Serdes.string())));
        assertTrue(serde.getMessage().contains("withValueSerdes"), serde.getMessage());
        TopologyException self = assertThrows(TopologyException.class, () -> left.intervalJoin(left));
        assertTrue(self.getMessage().contains("joined with itself"), self.getMessage());
    }

    /** What the self-join refusal suggests: a copy of the stream taken by a map of its own joins it with itself. */
    @Test
    void aStreamJoinsItsOwnCopy() {
        StreamBuilder builder = new StreamBuilder("self");
        KeyedStream<String, String> events = builder.source("events", CollectionSource.of("x,0,x"), eventTime(0))
                .keyBy(IntervalJoinTest::key);
        events.intervalJoin(events.map(event -> event)).between(Duration.ofMillis(5), Duration.ZERO)
                .join(NAMES, Named.as("join")).to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.input("events").pipe("A,10,e1");
            driver.input("events").pipe("A,14,e2");
            driver.input("events").pipe("A,20,e3");
            assertEquals(List.of("A e1+e1@10", "A e2+e1@14", "A e2+e2@14", "A e3+e3@20"), results(driver).stream()
                    .sorted().toList());
        }
    }

    record Order(String id, long time) {
    }

    record Payment(String orderId, long time) {
    }

    /** README's orders and payments, as written there: paid within 10 minutes, or unpaid once they have passed. */
    @Test
    void theReadmeOrdersAndPayments() {
        StreamBuilder builder = new StreamBuilder("readme");
        KeyedStream<String, Order> orders = builder.source("orders", CollectionSource.of(new Order("x", 0)),
                WatermarkStrategy.<Order>forBoundedOutOfOrderness(Duration.ZERO)
                        .withTimestampExtractor((order, sourceTime) -> order.time())).keyBy(Order::id);
        KeyedStream<String, Payment> payments = builder.source("payments", CollectionSource.of(new Payment("x", 0)),
                WatermarkStrategy.<Payment>forBoundedOutOfOrderness(Duration.ZERO)
                        .withTimestampExtractor((payment, sourceTime) -> payment.time())).keyBy(Payment::orderId);
        CollectingSink<KeyValue<String, String>> sink = new CollectingSink<>();
        orders.intervalJoin(payments)                                 // both KeyedStream<String, ...> by order id
              .between(Duration.ZERO, Duration.ofMinutes(10))         // a payment up to 10 min after its order
              .leftJoin((order, payment) -> (payment == null ? "unpaid " : "paid ") + order.id(), Named.as("paid"))
              .to(sink, Named.as("payments-checked"));
        long minute = 60_000;
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.input("orders").pipe(new Order("o1", 0));
            driver.input("orders").pipe(new Order("o2", minute));
            driver.input("payments").pipe(new Payment("o1", 5 * minute));
            driver.input("payments").pipe(new Payment("o2", 12 * minute)); // too late for o2
            driver.input("orders").pipe(new Order("o3", 12 * minute));    // the watermark passes o2's 10 minutes
            driver.advanceWatermark(Long.MAX_VALUE);
            assertEquals(List.of("o1 paid o1@" + 5 * minute, "o2 unpaid o2@" + 11 * minute,
                            "o3 unpaid o3@" + 22 * minute),
                    driver.<KeyValue<String, String>>output("payments-checked").readRecordsToList().stream()
                            .map(r -> r.value().key() + " " + r.value().value() + "@" + r.timestamp()).toList());
        }
    }
}
