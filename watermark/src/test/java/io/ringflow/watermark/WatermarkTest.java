package io.ringflow.watermark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WatermarkTest {

    @Test
    void boundedOutOfOrdernessTrailsTheLargestTimestampSeen() {
        WatermarkGenerator generator = WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(200)).createGenerator();
        assertEquals(Watermarks.NONE, generator.currentWatermark());
        generator.onRecord(1_000, 0);
        assertEquals(800, generator.currentWatermark());
        generator.onRecord(900, 0);
        assertEquals(800, generator.currentWatermark(), "an older record does not move the watermark back");
        generator.onRecord(1_500, 0);
        assertEquals(1_300, generator.currentWatermark());
    }

    @Test
    void boundedOutOfOrdernessSaturatesAtNoneInsteadOfWrappingPastLongMinValue() {
        WatermarkGenerator generator = WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(500)).createGenerator();
        generator.onRecord(Long.MIN_VALUE + 1, 0);
        assertEquals(Watermarks.NONE, generator.currentWatermark(), "MIN_VALUE + 1 - 500 is before time begins: nothing is complete");
        generator.onRecord(Long.MIN_VALUE + 600, 0);
        assertEquals(Long.MIN_VALUE + 100, generator.currentWatermark());
        generator.onRecord(Long.MAX_VALUE, 0);
        assertEquals(Long.MAX_VALUE - 500, generator.currentWatermark());
    }

    @Test
    void monotonousTimestampsMakeTheWatermarkTheLatestTimestamp() {
        WatermarkGenerator generator = WatermarkStrategy.forMonotonousTimestamps().createGenerator();
        generator.onRecord(42, 0);
        assertEquals(42, generator.currentWatermark());
    }

    @Test
    void anInputIsIdleOnlyAfterTheTimeoutWithoutRecords() {
        WatermarkGenerator generator = WatermarkStrategy.forMonotonousTimestamps()
                .withIdleness(Duration.ofSeconds(5)).createGenerator();
        generator.onRecord(1, 10_000);
        assertFalse(generator.isIdle(14_999));
        assertTrue(generator.isIdle(15_000));
        generator.onRecord(2, 15_001);
        assertFalse(generator.isIdle(15_002));
        assertFalse(WatermarkStrategy.forMonotonousTimestamps().createGenerator().isIdle(Long.MAX_VALUE),
                "without withIdleness an input is never idle");
    }

    @Test
    void timestampsComeFromTheExtractorOrTheSource() {
        WatermarkStrategy<String> fromSource = WatermarkStrategy.forMonotonousTimestamps();
        WatermarkStrategy<String> fromValue = WatermarkStrategy.<String>forMonotonousTimestamps()
                .withTimestampExtractor((value, sourceTime) -> Long.parseLong(value));
        assertEquals(7, fromSource.timestampOf("123", 7));
        assertEquals(123, fromValue.timestampOf("123", 7));
    }

    @Test
    void trackerTakesTheMinimumOverInputsAndNeverGoesBack() {
        WatermarkTracker tracker = new WatermarkTracker(3);
        assertFalse(tracker.update(0, 100));
        assertFalse(tracker.update(1, 50));
        assertEquals(Watermarks.NONE, tracker.current(), "input 2 has no watermark yet");
        assertTrue(tracker.update(2, 70));
        assertEquals(50, tracker.current());
        assertTrue(tracker.update(1, 200));
        assertEquals(70, tracker.current());
        tracker.update(2, 60);
        assertEquals(70, tracker.current(), "an input's older watermark is ignored");
    }

    @Test
    void idleInputsStopHoldingTheMinimumBackUntilTheyReturn() {
        WatermarkTracker tracker = new WatermarkTracker(2);
        tracker.update(0, 1_000);
        tracker.update(1, 100);
        assertEquals(100, tracker.current());
        assertTrue(tracker.markIdle(1));
        assertEquals(1_000, tracker.current());
        tracker.update(1, 300);
        assertEquals(1_000, tracker.current(), "the watermark never goes back when an idle input returns");
        tracker.update(0, 2_000);
        assertEquals(1_000, tracker.current(), "input 1 holds it at its own 300 < 1,000, so it stays");
        tracker.update(1, 1_500);
        assertEquals(1_500, tracker.current());
    }

    @Test
    void aResumedTrackerStaysAtTheRestoredWatermarkUntilEveryInputPassesIt() {
        WatermarkTracker tracker = new WatermarkTracker(2);
        tracker.resumeAt(5_000);
        assertEquals(5_000, tracker.current(), "records after a restore are judged against the restored watermark");
        assertFalse(tracker.update(0, 7_000));
        assertFalse(tracker.update(1, 4_000), "inputs that start again below it do not move it back");
        assertEquals(5_000, tracker.current());
        assertTrue(tracker.update(1, 6_000));
        assertEquals(6_000, tracker.current());
        tracker.resumeAt(1_000);
        assertEquals(6_000, tracker.current(), "resuming never moves the watermark back");
    }

    @Test
    void whenEveryInputIsIdleTheTrackerIsIdleAtTheLargestWatermark() {
        WatermarkTracker tracker = new WatermarkTracker(2);
        tracker.update(0, 10);
        tracker.update(1, 20);
        tracker.markIdle(0);
        tracker.markIdle(1);
        assertTrue(tracker.isIdle());
        assertEquals(20, tracker.current());
    }

    @Test
    void badSettingsSayWhatIsWrong() {
        assertEquals("forBoundedOutOfOrderness needs a duration >= 0, got PT-1S",
                assertThrows(IllegalArgumentException.class,
                        () -> WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofSeconds(-1))).getMessage());
        assertEquals("withIdleness needs a timeout > 0, got PT0S",
                assertThrows(IllegalArgumentException.class,
                        () -> WatermarkStrategy.forMonotonousTimestamps().withIdleness(Duration.ZERO)).getMessage());
    }
}
