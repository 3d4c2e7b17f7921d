package io.ringflow.windowing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringflow.state.Serdes;
import io.ringflow.state.WindowStore;
import io.ringflow.state.memory.InMemoryWindowStore;
import io.ringflow.state.rocksdb.RocksDbStateBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sessions on RocksDB, with no cache and behind caches that overflow all the time or never,
 * closed and reopened every few hundred records, give exactly the results and late records
 * they give on the heap, over seeded random input: out of order, merging, late, with gaps,
 * grace and out-of-orderness drawn per round. The seed is {@code System.nanoTime()} unless
 * {@code -Dsessions.seed=N}; a failure names it.
 */
class SessionStoresAgreeTest {

    private static final long SEED = Long.getLong("sessions.seed", System.nanoTime());
    private static final int ROUNDS = 6;
    private static final int RECORDS = 1_500;

    @TempDir
    Path directory;

    @ParameterizedTest(name = "cache of {0}")
    @ValueSource(ints = {0, 1, 2, 100_000})
    void rocksDbGivesWhatTheHeapGives(int cacheEntries) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            long seed = SEED + round;
            SplittableRandom random = new SplittableRandom(seed);
            SessionWindows sessions = SessionWindows.withGap(Duration.ofMillis(random.nextInt(5, 50)))
                    .grace(Duration.ofMillis(random.nextInt(0, 20)));
            EmitStrategy emit = random.nextBoolean() ? EmitStrategy.onWindowClose() : EmitStrategy.onEveryUpdate();
            long outOfOrderness = random.nextInt(0, 100);
            String[] input = input(random);

            Harness heap = new Harness(outOfOrderness);
            heap.aggregation = aggregation(sessions, emit, new InMemoryWindowStore<>("sessions", Serdes.string()), heap);
            heap.pipe(input).advanceTo(Long.MAX_VALUE);

            Harness rocks = new Harness(outOfOrderness);
            Path state = directory.resolve("round-" + round);
            int restartEvery = random.nextInt(100, 500);
            for (int from = 0; from < input.length; from += restartEvery) {
                try (RocksDbStateBackend backend = new RocksDbStateBackend(state, 1, 16L << 20, cacheEntries);
                     WindowStore<String, SessionState<Long>> store = backend.windowStore(0, "sessions",
                             Serdes.string(), SessionState.serde(Serdes.longs()))) {
                    rocks.aggregation = aggregation(sessions, emit, store, rocks);
                    for (int i = from; i < Math.min(input.length, from + restartEvery); i++) {
                        rocks.pipe(input[i]);
                    }
                    if (from + restartEvery >= input.length) {
                        rocks.advanceTo(Long.MAX_VALUE);
                    }
                }
            }
            String replay = " (replay with -Dsessions.seed=" + SEED + ", round " + round + ")";
            assertSame("results", heap.results, rocks.results, replay);
            assertSame("late records", heap.late, rocks.late, replay);
        }
    }

    /** Equal lists, or a failure naming the first difference (the lists run to thousands). */
    private static void assertSame(String what, List<String> heap, List<String> rocks, String replay) {
        for (int i = 0; i < Math.min(heap.size(), rocks.size()); i++) {
            assertEquals(heap.get(i), rocks.get(i), what + " differ first at " + i + replay);
        }
        assertEquals(heap.size(), rocks.size(), "number of " + what + replay);
    }

    private static SessionWindowAggregation<String, Long, Long> aggregation(SessionWindows sessions, EmitStrategy emit,
                                                                          WindowStore<String, SessionState<Long>> store,
                                                                          Harness harness) {
        return new SessionWindowAggregation<>(sessions, emit, store, Harness.counting(), harness.results(), harness.late());
    }

    /** A few keys, time moving forward in small steps with pauses, some records far behind it. */
    private static String[] input(SplittableRandom random) {
        int keys = random.nextInt(1, 8);
        String[] input = new String[RECORDS];
        long time = random.nextLong(-1_000, 1_000);
        for (int i = 0; i < RECORDS; i++) {
            time += random.nextInt(10) == 0 ? random.nextInt(50, 200) : random.nextInt(0, 8);
            long timestamp = random.nextInt(10) == 0 ? time - random.nextInt(0, 150) : time;
            input[i] = "k" + random.nextInt(keys) + "@" + timestamp;
        }
        return input;
    }
}
