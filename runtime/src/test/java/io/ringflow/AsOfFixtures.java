package io.ringflow;

import io.ringflow.watermark.WatermarkStrategy;
import java.time.Duration;

/**
 * What the as-of join tests share. Records are {@code "key,timestamp,amount"}; a quote whose
 * amount is {@code -} is a tombstone. A result is {@code "trade amount@quote amount"}, or
 * {@code "@none"} in a left join when no quote is valid.
 */
final class AsOfFixtures {

    private AsOfFixtures() {
    }

    static String key(String record) {
        return record.substring(0, record.indexOf(','));
    }

    static long time(String record) {
        return Long.parseLong(record.split(",")[1]);
    }

    static String amount(String record) {
        return record.split(",")[2];
    }

    static String priced(String trade, String quote) {
        return amount(trade) + "@" + (quote == null ? "none" : amount(quote));
    }

    /** A quote, or {@code null} for a tombstone. */
    static String version(String quote) {
        return amount(quote).equals("-") ? null : quote;
    }

    static WatermarkStrategy<String> eventTime(long outOfOrdernessMillis) {
        return WatermarkStrategy.<String>forBoundedOutOfOrderness(Duration.ofMillis(outOfOrdernessMillis))
                .withTimestampExtractor((record, sourceTime) -> time(record));
    }

    /**
     * trades (source "trades") as-of joined, left or inner, with quotes (source "quotes") kept
     * for {@code history}; results go to the sink named "priced", the join is named "price".
     */
    static void pricedTrades(StreamBuilder builder, Source<String> trades, Source<String> quotes, long outOfOrderness,
                             Duration history, boolean left, Sink<KeyValue<String, String>> sink) {
        KeyedStream<String, String> tradesByKey = builder.source("trades", trades, eventTime(outOfOrderness))
                .keyBy(AsOfFixtures::key);
        VersionedTable<String, String> quotesTable = builder.source("quotes", quotes, eventTime(outOfOrderness))
                .keyBy(AsOfFixtures::key)
                .map(AsOfFixtures::version)
                .toVersionedTable(history);
        KeyedStream<String, String> joined = left
                ? tradesByKey.leftAsOfJoin(quotesTable, AsOfFixtures::priced, Named.as("price"))
                : tradesByKey.asOfJoin(quotesTable, AsOfFixtures::priced, Named.as("price"));
        joined.to(sink, Named.as("priced"));
    }
}
