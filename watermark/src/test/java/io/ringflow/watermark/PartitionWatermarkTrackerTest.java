package io.ringflow.watermark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionWatermarkTrackerTest {

    @Test
    void eachPartitionTakesTheMinimumOverTheInputsThatReportedItAndNeverGoesBack() {
        PartitionWatermarkTracker tracker = new PartitionWatermarkTracker(2);
        assertTrue(tracker.update(0, 3, 100));
        assertEquals(100, tracker.current(3), "an input that never reported the partition does not hold it back");
        assertEquals(Watermarks.NONE, tracker.current(0));
        assertFalse(tracker.update(1, 3, 200), "the other input's is larger: the minimum stays");
        assertTrue(tracker.update(0, 3, 300));
        assertEquals(200, tracker.current(3));
        assertFalse(tracker.update(0, 3, 150), "an input's older watermark is ignored");
        assertEquals(200, tracker.current(3));
        assertFalse(tracker.update(1, 5, Watermarks.NONE));
        assertEquals(Watermarks.NONE, tracker.current(5));
    }

    @Test
    void advancedPartitionsAreHandedOnOncePerDrainAndAResetPartitionStartsAgain() {
        PartitionWatermarkTracker tracker = new PartitionWatermarkTracker(1);
        tracker.update(0, 1, 10);
        tracker.update(0, 1, 20);
        tracker.update(0, 0, 5);
        List<String> forwarded = new ArrayList<>();
        tracker.drainAdvanced((partition, watermark) -> forwarded.add(partition + "=" + watermark));
        assertEquals(List.of("1=20", "0=5"), forwarded);
        assertFalse(tracker.anyAdvanced());

        tracker.reset(1);
        assertEquals(Watermarks.NONE, tracker.current(1));
        assertTrue(tracker.update(0, 1, 15), "after a move the partition's older copy sets its time again");
        assertEquals(15, tracker.current(1));
    }
}
