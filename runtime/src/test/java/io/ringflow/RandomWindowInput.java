package io.ringflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random input for {@link WindowDifferentialTest}: a few thousand events over a few keys
 * whose event time mostly moves forward, with bounded disorder around the watermark (some a
 * little too late for it, some just in time thanks to grace) and a few far-late records, plus
 * the out-of-orderness and grace to run them with. The same seed gives the same input.
 */
record RandomWindowInput(long seed, long outOfOrderness, long grace, List<Event> events,
                         int disordered, int farLate) {

    /** One event: its key, event time (epoch ms) and an amount to sum. */
    record Event(String key, long time, long amount) {
    }

    static final int EVENTS = 4_000;
    static final int KEYS = 6;
    /** Event time of the first event: far-late records stay positive. */
    private static final long START = 1_000_000;

    static RandomWindowInput generate(long seed) {
        Random random = new Random(seed);
        long outOfOrderness = random.nextInt(21);    // 0..20 ms
        long grace = random.nextInt(11);             // 0..10 ms
        // Disorder reaches past out-of-orderness + grace, so some disordered records are late
        // and some are saved by grace alone.
        int maxDisorder = (int) (outOfOrderness + grace + 15);
        List<Event> events = new ArrayList<>(EVENTS);
        long now = START;
        int disordered = 0;
        int farLate = 0;
        for (int i = 0; i < EVENTS; i++) {
            now += random.nextInt(3);                // 0..2 ms per event: ties and short pauses
            String key = "k" + random.nextInt(KEYS);
            long amount = 1 + random.nextInt(9);
            int kind = random.nextInt(100);
            long time;
            if (kind < 3) {
                time = now - 200 - random.nextInt(2_000);   // far late: behind every open time window
                farLate++;
            } else if (kind < 18) {
                time = now - random.nextInt(maxDisorder + 1);
                disordered++;
            } else {
                time = now;
            }
            events.add(new Event(key, time, amount));
        }
        return new RandomWindowInput(seed, outOfOrderness, grace, List.copyOf(events), disordered, farLate);
    }

    /** What the failure messages say about the input; the seed reproduces it. */
    String describe() {
        return "seed " + seed + " (rerun with -Dwindows.seed=" + seed + "): " + events.size() + " events over "
                + KEYS + " keys, out-of-orderness " + outOfOrderness + " ms, grace " + grace + " ms, "
                + disordered + " disordered by up to " + (outOfOrderness + grace + 15) + " ms, " + farLate
                + " far late (200-2200 ms)";
    }
}
