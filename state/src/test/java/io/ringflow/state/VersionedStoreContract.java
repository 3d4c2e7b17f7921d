package io.ringflow.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link VersionedStore} does, on the heap or in RocksDB; one subclass per implementation. */
abstract class VersionedStoreContract {

    protected VersionedStore<String, Long> store;

    /** A new, empty store named "versions" with String keys and Long values. */
    protected abstract VersionedStore<String, Long> createStore() throws Exception;

    /** The exact number of versions the store holds now (tombstones included). */
    protected abstract long countVersions();

    @BeforeEach
    void open() throws Exception {
        store = createStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void aReadSeesTheVersionWithTheGreatestValidFromAtOrBeforeItsTime() {
        store.put("a", 100L, 100);
        store.put("a", 130L, 130);
        store.put("a", -5L, -5);
        assertNull(store.get("a", -6), "before the first version");
        assertEquals(-5L, store.get("a", 99), "negative times sort first");
        assertEquals(100L, store.get("a", 100), "a version is valid at its own time");
        assertEquals(100L, store.get("a", 129));
        assertEquals(130L, store.get("a", Long.MAX_VALUE));
        assertNull(store.get("b", 1000), "a key with no version");
    }

    @Test
    void versionsArrivingOutOfOrderAreReadInTimeOrderAndTheSameTimeReplaces() {
        store.put("a", 130L, 130);
        store.put("a", 100L, 100);
        store.put("a", 101L, 100);
        assertEquals(101L, store.get("a", 120));
        assertEquals(130L, store.get("a", 130));
        assertEquals(2, countVersions());
    }

    @Test
    void aTombstoneHidesOlderVersionsUntilTheNextVersion() {
        store.put("a", 1L, 10);
        store.put("a", null, 20);
        store.put("a", 3L, 30);
        assertEquals(1L, store.get("a", 19));
        assertNull(store.get("a", 20));
        assertNull(store.get("a", 29));
        assertEquals(3L, store.get("a", 30));
    }

    @Test
    void keysWhoseBytesStartAlikeNeverSeeEachOthersVersions() {
        store.put("ab", 1L, -100);
        store.put("a", 2L, 50);
        store.put("abc", 3L, Long.MIN_VALUE);
        assertNull(store.get("a", 49));
        assertEquals(2L, store.get("a", Long.MAX_VALUE));
        assertNull(store.get("ab", -101));
        assertEquals(1L, store.get("ab", 1000));
        assertEquals(3L, store.get("abc", Long.MIN_VALUE));
        assertNull(store.get("", Long.MAX_VALUE));
    }

    @Test
    void expiryKeepsTheVersionValidAtTheBoundAndDropsOnlyWhatNoLaterReadSees() {
        store.put("a", 1L, 10);
        store.put("a", 2L, 20);
        store.put("a", 3L, 30);
        store.put("b", 4L, 5);
        store.expire(25);
        assertEquals(3, countVersions(), "a@10 is gone; a@20 is valid at 25; b@5 is the only version of b");
        assertEquals(2L, store.get("a", 25));
        assertEquals(3L, store.get("a", 30));
        assertEquals(4L, store.get("b", 25));
        store.expire(Long.MAX_VALUE);
        assertEquals(2, countVersions(), "the newest version of each key stays for good");
        assertEquals(3L, store.get("a", Long.MAX_VALUE));
    }

    @Test
    void expiryDropsATombstoneThatIsValidAtTheBoundWithEverythingBeforeIt() {
        store.put("a", 1L, 10);
        store.put("a", null, 20);
        store.put("b", 2L, 10);
        store.put("b", null, 40);
        store.expire(30);
        assertEquals(2, countVersions(), "a is gone entirely; b keeps its value and its later tombstone");
        assertNull(store.get("a", 30));
        assertEquals(2L, store.get("b", 39));
        assertNull(store.get("b", 40));
        store.expire(40);
        assertEquals(0, countVersions());
    }

    @Test
    void aVersionPutAfterExpiryBehindTheBoundIsExpiredOnTheNextCall() {
        store.put("a", 1L, 10);
        store.put("a", 3L, 30);
        store.expire(35);
        store.put("a", 2L, 20); // behind the bound: the caller decided to keep it
        assertEquals(3L, store.get("a", 35));
        store.expire(36);
        assertEquals(1, countVersions());
    }

    /**
     * Random puts (out of order, tombstones, repeated times) and expiries against a model that
     * keeps everything: every read at or after the last bound agrees, and what is left is at
     * most the versions newer than the bound plus one per key.
     */
    @Test
    void randomPutsAndExpiriesAnswerEveryReadAtOrAfterTheBoundAsAStoreThatKeepsEverything() {
        long seed = Long.getLong("versioned.seed", System.nanoTime());
        Random random = new Random(seed);
        Map<String, TreeMap<Long, Long>> model = new HashMap<>();
        long bound = Long.MIN_VALUE;
        for (int step = 0; step < 3000; step++) {
            String key = "k" + random.nextInt(20);
            long time = (bound == Long.MIN_VALUE ? 0 : bound) + random.nextInt(200);
            Long value = random.nextInt(5) == 0 ? null : (long) step;
            store.put(key, value, time);
            model.computeIfAbsent(key, k -> new TreeMap<>()).put(time, value);
            if (random.nextInt(50) == 0) {
                bound = Math.max(bound, time - random.nextInt(100));
                store.expire(bound);
                long newer = 0;
                for (TreeMap<Long, Long> history : model.values()) {
                    newer += history.tailMap(bound, false).size();
                }
                long counted = countVersions();
                assertTrue(counted <= newer + model.size(), "seed " + seed + ": " + counted + " versions left");
            }
            long asOf = Math.max(bound, time - random.nextInt(300));
            for (String k : model.keySet()) {
                Map.Entry<Long, Long> valid = model.get(k).floorEntry(asOf);
                assertEquals(valid == null ? null : valid.getValue(), store.get(k, asOf),
                        "seed " + seed + " (-Dversioned.seed replays): " + k + " as of " + asOf);
            }
        }
    }
}
