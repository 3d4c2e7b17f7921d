package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.function.ValueJoiner;
import io.ringflow.testing.TopologyTestDriver;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The global-table join on the test driver, exact outputs. Orders are {@code "id,currency,amount"},
 * rates {@code "currency,time,rate"} ({@code "-"}: a tombstone). There is no bootstrap: an order
 * processed before its currency's rate arrived finds none.
 */
class GlobalTableJoinTest {

    private static String currency(String order) {
        return order.split(",")[1];
    }

    private static Topology fx(boolean left, boolean keyed) {
        StreamBuilder builder = new StreamBuilder("fx");
        GlobalTable<String, String> rates = builder.globalTable("rates", CollectionSource.of("x,0,0"),
                StreamTableJoinTest::key, StreamTableJoinTest::price);
        EventStream<String> orders = builder.source("orders", CollectionSource.of("x,x,0"));
        ValueJoiner<String, String, String> joiner = (order, rate) -> order.split(",")[0] + ":" + rate;
        if (keyed) {
            KeyedStream<String, String> byId = orders.keyBy(order -> order.split(",")[0]);
            (left ? byId.leftJoin(rates, GlobalTableJoinTest::currency, joiner, Named.as("convert"))
                    : byId.join(rates, GlobalTableJoinTest::currency, joiner, Named.as("convert")))
                    .to(new CollectingSink<>(), Named.as("converted"));
        } else {
            (left ? orders.leftJoin(rates, GlobalTableJoinTest::currency, joiner, Named.as("convert"))
                    : orders.join(rates, GlobalTableJoinTest::currency, joiner, Named.as("convert")))
                    .to(new CollectingSink<>(), Named.as("converted"));
        }
        return builder.build();
    }

    private static List<Object> run(boolean left, boolean keyed) {
        try (TopologyTestDriver driver = new TopologyTestDriver(fx(left, keyed))) {
            driver.input("orders").pipe("o1,EUR,10");   // before any rate: no bootstrap, so none found
            driver.input("rates").pipe("EUR,1,1.1");
            driver.input("rates").pipe("GBP,2,1.3");
            driver.input("orders").pipe("o2,EUR,20");
            driver.input("orders").pipe("o3,GBP,30");
            driver.input("rates").pipe("EUR,3,1.2");
            driver.input("orders").pipe("o4,EUR,40");
            driver.input("rates").pipe("GBP,4,-");
            driver.input("orders").pipe("o5,GBP,50");
            driver.input("orders").pipe("o6,JPY,60");
            return driver.output("converted").readValuesToList();
        }
    }

    @Test
    void innerJoinOnAnUnkeyedStream() {
        assertEquals(List.of("o2:1.1", "o3:1.3", "o4:1.2"), run(false, false));
    }

    @Test
    void leftJoinOnAnUnkeyedStream() {
        assertEquals(List.of("o1:null", "o2:1.1", "o3:1.3", "o4:1.2", "o5:null", "o6:null"), run(true, false));
    }

    @Test
    void onAKeyedStreamTheStreamsKeyIsKept() {
        assertEquals(List.of(KeyValue.of("o2", "o2:1.1"), KeyValue.of("o3", "o3:1.3"), KeyValue.of("o4", "o4:1.2")),
                run(false, true));
        assertEquals(6, run(true, true).size());
    }

    @Test
    void aNullTableKeyFromTheStreamFindsNoValue() {
        StreamBuilder builder = new StreamBuilder("null-key");
        GlobalTable<String, String> rates = builder.globalTable("rates", CollectionSource.of("x,0,0"),
                StreamTableJoinTest::key, StreamTableJoinTest::price);
        builder.source("orders", CollectionSource.of("x"))
                .leftJoin(rates, order -> order.isEmpty() ? null : order, (order, rate) -> order + "=" + rate)
                .to(new CollectingSink<>(), Named.as("out"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.input("rates").pipe("EUR,1,1.1");
            driver.input("orders").pipe("");
            driver.input("orders").pipe("EUR");
            assertEquals(List.of("=null", "EUR=1.1"), driver.output("out").readValuesToList());
        }
    }

    /** The stream stays on its shard: the join runs in a stage of its own, the table broadcast into it. */
    @Test
    void theTableIsBroadcastAndTheStreamForwarded() {
        String plan = fx(false, false).describe(PipelineConfig.defaults().withParallelism(2));
        assertTrue(plan.contains("<- broadcast from globalTable 'rates-table'"), plan);
        assertTrue(plan.contains("<- forward from joinInput 'joinInput-3'"), plan);
    }
}
