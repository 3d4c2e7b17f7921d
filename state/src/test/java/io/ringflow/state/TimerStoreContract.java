package io.ringflow.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link TimerStore} does, whatever table keeps its timers; one subclass per implementation. */
abstract class TimerStoreContract {

    protected TimerStore<String> store;

    /** A new, empty store named "timers" with String keys (UTF-8 order). */
    protected abstract TimerStore<String> createStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = createStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** Polls up to {@code upTo} and returns what was handed over as "key@time". */
    private List<String> poll(long upTo) {
        List<String> out = new ArrayList<>();
        int count = store.pollUpTo(upTo, (time, key) -> out.add(key + "@" + time));
        assertEquals(out.size(), count, "the count returned");
        return out;
    }

    @Test
    void dueTimersComeEarliestFirstThenByKeyBytes() {
        store.add(30, "a");
        store.add(10, "b");
        store.add(20, "c");
        store.add(10, "a");
        store.add(-5, "z");
        assertEquals(List.of(), poll(-6));
        assertEquals(List.of("z@-5", "a@10", "b@10"), poll(10), "the bound is inclusive; negative times first");
        assertEquals(List.of("c@20", "a@30"), poll(Long.MAX_VALUE));
        assertEquals(List.of(), poll(Long.MAX_VALUE), "handed-over timers are gone");
    }

    @Test
    void theSameTimerAddedTwiceIsOneTimer() {
        store.add(10, "a");
        store.flush();
        store.add(10, "a");
        store.add(10, "a");
        assertEquals(List.of("a@10"), poll(10));
        assertEquals(Long.MAX_VALUE, store.earliestTime());
    }

    @Test
    void removedTimersAreNotHandedOverWhetherWrittenOrStillBuffered() {
        store.add(10, "a");
        store.add(11, "b");
        store.flush();
        store.remove(10, "a");
        store.add(12, "c");
        store.remove(12, "c");
        store.remove(99, "never added");
        assertEquals(List.of("b@11"), poll(100));
        assertEquals(Long.MAX_VALUE, store.earliestTime());
        if (isHeap()) {
            assertEquals(0, store.approximateNumEntries());
        }
    }

    /**
     * A stale-quote alarm's pattern: each key's timer moves on with every record, across buffer
     * writes and restarts of the pattern below what the table holds; only the last of each fires.
     */
    @Test
    void timersMovedOnAndOnLeaveOnlyTheLastOfEachKey() {
        for (long t = 0; t < 2_000; t++) {
            String key = "k" + (t % 10);
            if (t >= 10) {
                store.remove(t - 10 + 100, key);
            }
            store.add(t + 100, key);
            if (t % 333 == 0) {
                store.flush();
            }
        }
        store.add(500, "k3");     // below what the table holds: not known to be absent
        store.remove(500, "k3");
        List<String> expected = new ArrayList<>();
        for (long t = 1_990; t < 2_000; t++) {
            expected.add("k" + (t % 10) + "@" + (t + 100));
        }
        assertEquals(expected, poll(Long.MAX_VALUE));
    }

    /** Whether the table is on the heap (its counts are exact). */
    protected boolean isHeap() {
        return false;
    }

    @Test
    void aHandlerMayAddDueTimersAndTheyComeInOrderInTheSamePoll() {
        store.add(10, "a");
        store.add(20, "b");
        List<String> out = new ArrayList<>();
        store.pollUpTo(25, (time, key) -> {
            out.add(key + "@" + time);
            if (time == 10) {
                store.add(15, "a");     // due, before b@20
                store.add(26, "late");  // not due
            }
            if (time == 15) {
                store.add(5, "past");   // due, earlier than anything left: next
            }
        });
        assertEquals(List.of("a@10", "a@15", "past@5", "b@20"), out);
        assertEquals(26, store.earliestTime());
    }

    @Test
    void aHandlerThatRemovesADueTimerStopsIt() {
        store.add(10, "a");
        store.add(11, "a");
        store.add(12, "b");
        List<String> out = new ArrayList<>();
        store.pollUpTo(20, (time, key) -> {
            out.add(key + "@" + time);
            store.remove(11, "a");
            store.remove(12, "b");
        });
        assertEquals(List.of("a@10"), out);
        assertEquals(Long.MAX_VALUE, store.earliestTime());
    }

    @Test
    void thousandsOfTimersAtOneTimeAllComeInKeyOrderAndLeaveNothing() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            String key = String.format("k%05d", i);
            store.add(7, key);
            expected.add(key + "@7");
        }
        store.add(8, "after");
        assertEquals(expected, poll(7));
        assertEquals(8, store.earliestTime());
        assertEquals(List.of("after@8"), poll(8));
        assertEquals(Long.MAX_VALUE, store.earliestTime());
        if (isHeap()) {
            assertEquals(0, store.approximateNumEntries());
            assertEquals(0, store.estimatedEntries(), "exact after a poll that handed timers over");
        }
    }

    @Test
    void earliestTimeIsExactAfterRemovals() {
        store.add(5, "a");
        store.add(9, "b");
        store.flush();
        store.remove(5, "a");
        assertEquals(9, store.earliestTime());
        assertEquals(List.of(), poll(8));
        assertEquals(List.of("b@9"), poll(9));
    }

    @Test
    void aClosedStoreRefusesUse() {
        store.close();
        assertThrows(IllegalStateException.class, () -> store.add(1, "a"));
        assertThrows(IllegalStateException.class, () -> store.pollUpTo(1, (t, k) -> { }));
    }

    /**
     * Seeded random adds, removes, flushes and polls, with handlers that add and remove, against a
     * sorted set: catches a lower bound that skips a due timer, a scan that resumes past one, and
     * a handler's change that is lost or applied out of order. {@code -Dtimers.seed=N} replays.
     */
    @Test
    void randomOperationsAgreeWithASortedSet() {
        long seed = Long.getLong("timers.seed", System.nanoTime());
        Random random = new Random(seed);
        TreeSet<String> model = new TreeSet<>(); // "time(padded)|key": (time, key bytes) order for times >= 0
        long watermark = 0;
        for (int step = 0; step < 5_000; step++) {
            int op = random.nextInt(10);
            long time = Math.max(0, watermark + random.nextInt(200) - 20);
            String key = "k" + random.nextInt(40);
            if (op < 5) {
                store.add(time, key);
                model.add(entry(time, key));
            } else if (op < 7) {
                store.remove(time, key);
                model.remove(entry(time, key));
            } else if (op == 7) {
                store.flush();
            } else {
                watermark += random.nextInt(30);
                List<String> got = new ArrayList<>();
                store.pollUpTo(watermark, (t, k) -> {
                    got.add(entry(t, k));
                    moveOn(t, k, store::add, store::remove);
                });
                List<String> want = new ArrayList<>();
                while (!model.isEmpty() && time(model.first()) <= watermark) {
                    String due = model.pollFirst();
                    want.add(due);
                    moveOn(time(due), due.substring(due.indexOf('|') + 1),
                            (t, k) -> model.add(entry(t, k)), (t, k) -> model.remove(entry(t, k)));
                }
                assertEquals(want, got, "seed " + seed + " (-Dtimers.seed=" + seed + ") step " + step);
            }
        }
        List<String> rest = new ArrayList<>();
        store.pollUpTo(Long.MAX_VALUE, (t, k) -> rest.add(entry(t, k)));
        assertEquals(new ArrayList<>(model), rest, "seed " + seed + ": what is left");
    }

    private interface Change {
        void apply(long time, String key);
    }

    /** What a handler does with its timer, decided by the timer alone so the model does the same. */
    private static void moveOn(long time, String key, Change add, Change remove) {
        int h = Math.floorMod(Long.hashCode(time) * 31 + key.hashCode(), 8);
        if (h == 0) {
            add.apply(time + h + 7, key);        // a later timer
        } else if (h == 1) {
            remove.apply(time + 5, key);         // drops one that may be due in this poll
        } else if (h == 2) {
            add.apply(time + 1, key);            // due again in this poll, most likely
            remove.apply(time + 3, key);
        }
    }

    private static String entry(long time, String key) {
        return String.format("%012d|%s", time, key);
    }

    private static long time(String entry) {
        return Long.parseLong(entry.substring(0, entry.indexOf('|')));
    }
}
