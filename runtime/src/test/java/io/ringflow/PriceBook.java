package io.ringflow;

import io.ringflow.watermark.WatermarkStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Prices and trades on one input, as on one topic: {@code "P,key,time,price"} updates a key's price
 * ({@code "-"}: a tombstone), {@code "T,key,time,qty"} is a trade. Both keyed by one {@code keyBy},
 * so a key's prices and trades reach the join in input order, and a reference model (the
 * documented rules applied in that order) gives the exact output. Timestamps are out of order and
 * often behind the watermark, which a stream-table join ignores.
 */
final class PriceBook {

    private PriceBook() {
    }

    static String key(String record) {
        return record.split(",")[1];
    }

    static long time(String record) {
        return Long.parseLong(record.split(",")[2]);
    }

    static boolean isPrice(String record) {
        return record.charAt(0) == 'P';
    }

    static boolean isTrade(String record) {
        return record.charAt(0) == 'T';
    }

    /** A price record's price, {@code null} for a tombstone. */
    static String price(String record) {
        String price = record.split(",")[3];
        return price.equals("-") ? null : price;
    }

    static String quantity(String record) {
        return record.split(",")[3];
    }

    static String joined(String trade, String price) {
        return quantity(trade) + "@" + price;
    }

    static WatermarkStrategy<String> eventTime() {
        return WatermarkStrategy.<String>forBoundedOutOfOrderness(Duration.ZERO)
                .withTimestampExtractor((record, sourceTime) -> time(record));
    }

    /**
     * {@code count} records over {@code keys} keys ({@code k0..}), 40% prices (one in eight a
     * tombstone), the rest trades; then one probe trade ({@code qty "probe"}) per key, whose
     * left-join result shows the key's final price: the table's state at the end.
     */
    static List<String> records(int count, int keys, long seed) {
        Random random = new Random(seed);
        List<String> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = "k" + random.nextInt(keys);
            long time = 1_000 + i + random.nextInt(101) - 50;
            if (random.nextInt(10) < 4) {
                String price = random.nextInt(8) == 0 ? "-" : String.valueOf(1 + random.nextInt(999));
                records.add("P," + key + "," + time + "," + price);
            } else {
                records.add("T," + key + "," + time + "," + (1 + random.nextInt(99)));
            }
        }
        for (int k = 0; k < keys; k++) {
            records.add("T,k" + k + "," + (count + 2_000) + ",probe");
        }
        return records;
    }

    /** The stream-table join's output per key, in order: the documented rules applied to {@code records} in order. */
    static Map<String, List<String>> expected(List<String> records, boolean left) {
        Map<String, String> table = new HashMap<>();
        Map<String, List<String>> out = new TreeMap<>();
        for (String record : records) {
            String key = key(record);
            if (isPrice(record)) {
                table.put(key, price(record)); // a tombstone puts null: no value
            } else if (left || table.get(key) != null) {
                out.computeIfAbsent(key, k -> new ArrayList<>()).add(joined(record, table.get(key)));
            }
        }
        return out;
    }

    /** Outputs grouped by key, each key's in the order they came. */
    static Map<String, List<String>> byKey(List<KeyValue<String, String>> outputs) {
        Map<String, List<String>> out = new TreeMap<>();
        for (KeyValue<String, String> output : outputs) {
            out.computeIfAbsent(output.key(), k -> new ArrayList<>()).add(output.value());
        }
        return out;
    }

    /** The join of the book's trades with its prices' table, after one {@code keyBy} of the input. */
    static void join(EventStream<String> input, boolean left, Sink<KeyValue<String, String>> sink) {
        join(input, left, Materialized.defaults(), sink);
    }

    /** As {@link #join(EventStream, boolean, Sink)}, the table stored as {@code materialized} says. */
    static void join(EventStream<String> input, boolean left, Materialized<String, String> materialized,
                     Sink<KeyValue<String, String>> sink) {
        KeyedStream<String, String> byKey = input.keyBy(PriceBook::key, Named.as("by-key"));
        Table<String, String> prices = byKey.filter(PriceBook::isPrice).map(PriceBook::price).toTable(materialized);
        KeyedStream<String, String> trades = byKey.filter(PriceBook::isTrade);
        (left ? trades.leftJoin(prices, PriceBook::joined, Named.as("price"))
                : trades.join(prices, PriceBook::joined, Named.as("price"))).to(sink, Named.as("priced"));
    }
}
