package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.testing.TopologyTestDriver;
import java.util.List;
import org.junit.jupiter.api.Test;

/** README's table, stream-table join and global-table examples, as written there: they compile and join as it says. */
class TablesReadmeTest {

    record PriceUpdate(String symbol, Double price) {
    }

    record Trade(String symbol, long quantity) {
    }

    record Rate(String currency, Double rate) {
    }

    record Order(String currency, double amount) {
    }

    @Test
    void theReadmeTableAndStreamTableJoin() {
        StreamBuilder builder = new StreamBuilder("readme-tables");
        Source<PriceUpdate> priceUpdates = CollectionSource.of(new PriceUpdate("X", 1.0));
        Sink<KeyValue<String, Double>> changelog = new CollectingSink<>();
        Sink<KeyValue<String, Double>> notionals = new CollectingSink<>();
        EventStream<Trade> trades = builder.source("trades", CollectionSource.of(new Trade("X", 1)));

        Table<String, Double> prices = builder.table("prices", priceUpdates,       // Source<PriceUpdate>
                PriceUpdate::symbol, PriceUpdate::price);                           // a null price deletes the symbol
        prices.toStream().to(changelog, Named.as("changelog"));                   // every update, a delete as null

        KeyedStream<String, Double> notional = trades.keyBy(Trade::symbol)
                .join(prices, (trade, price) -> trade.quantity() * price, Named.as("notional"));
        notional.to(notionals, Named.as("notionals"));

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<Trade>input("trades").pipe(new Trade("A", 10));               // no price yet: dropped
            driver.<PriceUpdate>input("prices").pipe(new PriceUpdate("A", 2.5)).pipe(new PriceUpdate("B", 4.0));
            driver.<Trade>input("trades").pipe(new Trade("A", 10)).pipe(new Trade("B", 3));
            driver.<PriceUpdate>input("prices").pipe(new PriceUpdate("A", null));
            driver.<Trade>input("trades").pipe(new Trade("A", 5));                // A was deleted: dropped
            assertEquals(List.of(KeyValue.of("A", 25.0), KeyValue.of("B", 12.0)),
                    driver.<KeyValue<String, Double>>output("notionals").readValuesToList());
            assertEquals(List.of(KeyValue.of("A", 2.5), KeyValue.of("B", 4.0), KeyValue.of("A", null)),
                    driver.<KeyValue<String, Double>>output("changelog").readValuesToList());
        }
    }

    @Test
    void theReadmeGlobalTable() {
        StreamBuilder builder = new StreamBuilder("readme-global");
        Source<Rate> rates = CollectionSource.of(new Rate("X", 1.0));
        EventStream<Order> orders = builder.source("orders", CollectionSource.of(new Order("X", 1)));
        Sink<Double> euros = new CollectingSink<>();

        GlobalTable<String, Double> fx = builder.globalTable("fx-rates", rates,   // Source<Rate>
                Rate::currency, Rate::rate);
        EventStream<Double> inEuros = orders                                       // EventStream<Order>, not keyed
                .join(fx, Order::currency, (order, rate) -> order.amount() * rate, Named.as("to-eur"));
        inEuros.to(euros, Named.as("euros"));

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<Order>input("orders").pipe(new Order("USD", 100));            // before the table: finds no rate
            driver.<Rate>input("fx-rates").pipe(new Rate("USD", 0.5)).pipe(new Rate("GBP", 1.25));
            driver.<Order>input("orders").pipe(new Order("USD", 100)).pipe(new Order("GBP", 8))
                    .pipe(new Order("JPY", 1));
            assertEquals(List.of(50.0, 10.0), driver.output("euros").readValuesToList());
        }
    }
}
