package io.ringflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The as-of join's documented rules, written plainly, for the differential tests: a trade at
 * or after the watermark waits and leaves, joined with the quote valid at its time, once the
 * watermark passes it (by time, then key, then arrival); input behind the watermark is counted,
 * used when within the history and dropped beyond it. It keeps every version it accepted, so it
 * also checks that expiry never changes an answer. Results are {@code "key trade@quote t=time"}.
 */
final class AsOfReferenceModel {

    private final long history;
    private final boolean left;
    private long watermark = Long.MIN_VALUE;
    private final Map<String, TreeMap<Long, String>> versions = new TreeMap<>();
    private final TreeMap<Long, TreeMap<String, List<String>>> waiting = new TreeMap<>();
    final List<String> results = new ArrayList<>();
    long late;

    AsOfReferenceModel(long history, boolean left) {
        this.history = history;
        this.left = left;
    }

    private long bound() {
        return watermark < Long.MIN_VALUE + history ? Long.MIN_VALUE : watermark - history;
    }

    void trade(String trade) {
        long time = AsOfFixtures.time(trade);
        if (time >= watermark) {
            waiting.computeIfAbsent(time, t -> new TreeMap<>())
                    .computeIfAbsent(AsOfFixtures.key(trade), k -> new ArrayList<>()).add(trade);
            return;
        }
        late++;
        if (time >= bound()) {
            join(trade);
        }
    }

    void quote(String quote) {
        long time = AsOfFixtures.time(quote);
        if (time < watermark) {
            late++;
            if (time < bound()) {
                return;
            }
        }
        versions.computeIfAbsent(AsOfFixtures.key(quote), k -> new TreeMap<>()).put(time, quote);
    }

    void advance(long to) {
        if (to <= watermark) {
            return;
        }
        while (!waiting.isEmpty() && (to == Long.MAX_VALUE || waiting.firstKey() < to)) {
            for (List<String> trades : waiting.pollFirstEntry().getValue().values()) {
                trades.forEach(this::join);
            }
        }
        watermark = to;
    }

    private void join(String trade) {
        TreeMap<Long, String> history = versions.get(AsOfFixtures.key(trade));
        Map.Entry<Long, String> valid = history == null ? null : history.floorEntry(AsOfFixtures.time(trade));
        String quote = valid == null ? null : AsOfFixtures.version(valid.getValue());
        if (quote != null || left) {
            results.add(AsOfFixtures.key(trade) + " " + AsOfFixtures.priced(trade, quote) + " t="
                    + AsOfFixtures.time(trade));
        }
    }
}
