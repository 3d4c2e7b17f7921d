package io.ringflow;

import static io.ringflow.NamedStateTest.outputs;
import static io.ringflow.NamedStateTest.stored;
import static io.ringflow.NamedStateTest.topology;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringflow.testing.TestInput;
import io.ringflow.testing.TopologyTestDriver;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TTL of named state through the test driver, with exact outputs and exact store contents: an
 * entry written by a record at time w is seen while the watermark is below w + TTL and gone,
 * storage and cleanup timer both, once it reaches it; a read does not refresh it, a rewrite
 * moves its timer; {@code onTimer} does not see an expired entry its cleanup has not deleted
 * yet; processing-time TTL follows the driver's clock; 10,000 keys leave nothing stored.
 */
class NamedStateTtlTest {

    private static void pipe(TopologyTestDriver driver, String... events) {
        TestInput<String> input = driver.input("events");
        for (String event : events) {
            input.pipe(event);
        }
    }

    @Test
    void anEntryIsGoneFromReadsAndFromTheStoreOnceTheWatermarkPassesItsWritePlusTheTtl() {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(new StateCommands()))) {
            pipe(driver, "a@0:tm.put=x=1", "a@50:tm.put=y=2", "a@60:tl.add=p", "a@60:tv.set=7", "a@99:tm.all");
            assertEquals(List.of("a:tm.all=[x=1, y=2]@99"), outputs(driver));
            assertEquals(2, stored(driver, "map.tm"));
            assertEquals(2, stored(driver, "map.tm.ttl-event"), "one cleanup timer per entry");
            pipe(driver, "b@100:v.get", "a@101:tm.all", "a@102:tl.get", "a@103:tv.get");
            assertEquals(List.of("b:v.get=null@100", "a:tm.all=[y=2]@101", "a:tl.get=[p]@102", "a:tv.get=7@103"),
                    outputs(driver), "x, written at 0, expired when the watermark reached 100");
            assertEquals(1, stored(driver, "map.tm"), "and its entry was deleted, not hidden");
            assertEquals(1, stored(driver, "map.tm.ttl-event"));
            driver.advanceWatermark(159);
            pipe(driver, "a@160:tm.all", "a@161:tl.get", "a@162:tv.get", "a@163:tm.empty");
            assertEquals(List.of("a:tm.all=[]@160", "a:tl.get=[]@161", "a:tv.get=null@162", "a:tm.empty=true@163"),
                    outputs(driver));
            for (String store : List.of("map.tm", "map.tm.ttl-event", "list.tl", "list.tl.ttl-event", "value.tv",
                    "value.tv.ttl-event")) {
                assertEquals(0, stored(driver, store), store);
            }
        }
    }

    @Test
    void aReadDoesNotRefreshAnEntryAndARewriteMovesItsCleanupTimer() {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(new StateCommands()))) {
            pipe(driver, "a@0:tm.put=read=1", "a@0:tm.put=rewritten=1", "a@90:tm.get=read", "a@90:tm.put=rewritten=2",
                    "b@100:v.get", "a@101:tm.all");
            assertEquals(List.of("a:tm.get=1@90", "b:v.get=null@100", "a:tm.all=[rewritten=2]@101"), outputs(driver));
            assertEquals(1, stored(driver, "map.tm.ttl-event"), "the rewrite moved its timer: one, at 190");
            driver.advanceWatermark(189);
            pipe(driver, "a@189:tm.get=rewritten");
            driver.advanceWatermark(190);
            pipe(driver, "a@190:tm.get=rewritten");
            assertEquals(List.of("a:tm.get=2@189", "a:tm.get=null@190"), outputs(driver));
            assertEquals(0, stored(driver, "map.tm"));
            assertEquals(0, stored(driver, "map.tm.ttl-event"));
        }
    }

    @Test
    void onTimerDoesNotSeeAnEntryThatExpiredAtItsWatermarkThoughItsCleanupRunsAfter() {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(new StateCommands()))) {
            pipe(driver, "a@0:tm.put=x=1", "a@0:tl.add=p", "a@0:timer=99", "a@0:timer=100");
            driver.advanceWatermark(99);
            driver.advanceWatermark(100);
            assertEquals(List.of("a:onTimer tm=[x=1] tl=[p]@99", "a:onTimer tm=[] tl=[]@100"), outputs(driver));
            assertEquals(0, stored(driver, "map.tm"));
            assertEquals(0, stored(driver, "list.tl"), "the element and the list's sequence entry");
        }
    }

    @Test
    void aRecordAlreadyATtlBehindTheWatermarkWritesAnEntryThatIsExpiredAtOnce() {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(new StateCommands()))) {
            pipe(driver, "a@200:v.get", "a@100:tm.put=late=1", "a@101:tm.put=onTime=1", "a@102:tm.all");
            assertEquals(List.of("a:v.get=null@200", "a:tm.all=[onTime=1]@102"), outputs(driver));
        }
    }

    @Test
    void processingTimeTtlFollowsTheDriversClock() {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(new StateCommands()))) {
            pipe(driver, "a@0:pm.put=x=1");
            driver.advanceProcessingTime(Duration.ofMillis(60));
            pipe(driver, "a@1:pm.put=y=2");
            driver.advanceProcessingTime(Duration.ofMillis(39));
            pipe(driver, "a@2:pm.all");
            driver.advanceWatermark(Long.MAX_VALUE);
            pipe(driver, "a@3:pm.all");
            assertEquals(2, stored(driver, "map.pm"), "event time expires nothing of a processing-time TTL");
            driver.advanceProcessingTime(Duration.ofMillis(1));
            pipe(driver, "a@4:pm.all");
            assertEquals(1, stored(driver, "map.pm"));
            driver.advanceProcessingTime(Duration.ofMillis(60));
            assertEquals(List.of("a:pm.all=[x=1, y=2]@2", "a:pm.all=[x=1, y=2]@3", "a:pm.all=[y=2]@4"),
                    outputs(driver));
            assertEquals(0, stored(driver, "map.pm"));
            assertEquals(0, stored(driver, "map.pm.ttl-processing"));
        }
    }

    @Test
    void tenThousandKeysOfMapListAndValueStateLeaveNothingStoredOnceTheyExpire() {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(new StateCommands()))) {
            TestInput<String> input = driver.input("events");
            for (int i = 0; i < 10_000; i++) {
                long time = i % 100;
                input.pipe("k" + i + "@" + time + ":tm.put=a=" + i);
                input.pipe("k" + i + "@" + time + ":tm.put=b=" + i);
                input.pipe("k" + i + "@" + time + ":tl.addall=p,q");
                input.pipe("k" + i + "@" + time + ":tv.set=" + i);
            }
            assertEquals(20_000, stored(driver, "map.tm"));
            assertEquals(30_000, stored(driver, "list.tl"), "two elements and a sequence entry per key");
            assertEquals(10_000, stored(driver, "value.tv"));
            driver.advanceWatermark(149);
            assertEquals(10_000, stored(driver, "map.tm"), "the keys written at 50 to 99 are still alive");
            driver.advanceWatermark(Long.MAX_VALUE);
            for (String store : List.of("map.tm", "map.tm.ttl-event", "list.tl", "list.tl.ttl-event", "value.tv",
                    "value.tv.ttl-event")) {
                assertEquals(0, stored(driver, store), store);
            }
        }
    }
}
