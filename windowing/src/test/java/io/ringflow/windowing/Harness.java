package io.ringflow.windowing;

import io.ringflow.state.WindowStore;
import io.ringflow.watermark.WatermarkGenerator;
import io.ringflow.watermark.WatermarkStrategy;
import io.ringflow.watermark.Watermarks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives a windowed aggregation as a shard does: each record is judged against the watermark
 * it arrives under, then moves the watermark (bounded out-of-orderness), which closes windows.
 * Results and late records are kept as text for exact assertions.
 */
final class Harness {

    final List<String> results = new ArrayList<>();
    final List<String> late = new ArrayList<>();
    private final WatermarkGenerator generator;
    private long watermark = Watermarks.NONE;
    WindowedAggregation<String, Long, Long> aggregation;

    Harness(long outOfOrdernessMillis) {
        generator = WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(outOfOrdernessMillis)).createGenerator();
    }

    WindowedAggregation.Results<String, Long> results() {
        return (key, window, aggregate, timestamp) -> results.add(key + window + "=" + aggregate);
    }

    WindowedAggregation.LateRecords<String, Long> late() {
        return (key, value, timestamp) -> late.add(key + "@" + timestamp);
    }

    /** Count of records, or sum of values; sessions merge by adding. */
    static WindowedAggregation.Aggregate<String, Long, Long> counting() {
        return new WindowedAggregation.Aggregate<>() {
            @Override
            public Long initial() {
                return 0L;
            }

            @Override
            public Long add(String key, Long value, Long aggregate) {
                return aggregate + 1;
            }

            @Override
            public Long merge(String key, Long left, Long right) {
                return left + right;
            }
        };
    }

    /** Exact number of windows in {@code store} (RocksDB's own count is an estimate). */
    static int count(WindowStore<String, ?> store) {
        int count = 0;
        try (var all = store.fetchAll(Long.MIN_VALUE, Long.MAX_VALUE)) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        return count;
    }

    /** Pipes records given as "key@timestamp". */
    Harness pipe(String... records) throws Exception {
        for (String record : records) {
            String[] parts = record.split("@");
            long timestamp = Long.parseLong(parts[1]);
            aggregation.onRecord(parts[0], 1L, timestamp, watermark);
            generator.onRecord(timestamp, 0);
            advanceTo(generator.currentWatermark());
        }
        return this;
    }

    Harness advanceTo(long next) throws Exception {
        if (next > watermark) {
            watermark = next;
            aggregation.onWatermark(watermark);
        }
        return this;
    }
}
