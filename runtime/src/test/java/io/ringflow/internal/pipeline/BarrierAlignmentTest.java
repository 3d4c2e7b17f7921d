package io.ringflow.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ringflow.internal.checkpoint.CheckpointCoordinator;
import io.ringflow.internal.checkpoint.CheckpointStorage;
import io.ringflow.internal.checkpoint.PendingCheckpoint;
import io.ringflow.internal.metrics.PipelineMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BarrierAlignmentTest {

    @TempDir
    Path root;

    private CheckpointCoordinator coordinator;

    @BeforeEach
    void coordinator() {
        coordinator = new CheckpointCoordinator("alignment", new CheckpointStorage(root), null, 1, new TreeSet<>(), 2,
                1, 0, 0, List.of(), (e, where) -> { }, Duration.ZERO,
                new PipelineMetrics(new SimpleMeterRegistry(), "alignment").checkpoints(), 0);
    }

    @AfterEach
    void close() {
        coordinator.close();
    }

    private PendingCheckpoint pending() {
        return coordinator.pending(coordinator.trigger());
    }

    private static RecordEvent event(byte kind, int input, Object value) {
        RecordEvent event = new RecordEvent();
        event.kind = kind;
        event.input = input;
        event.value = value;
        return event;
    }

    @Test
    void anInputsEventsAfterItsBarrierAreHeldUntilEveryInputsBarrierIsIn() {
        BarrierAlignment alignment = new BarrierAlignment(2);
        PendingCheckpoint checkpoint = pending();
        assertFalse(alignment.holds(event(RecordEvent.RECORD, 0, "before")));

        assertFalse(alignment.onBarrier(0, checkpoint), "one input of two is aligned");
        assertTrue(alignment.holds(event(RecordEvent.RECORD, 0, "after")));
        assertTrue(alignment.holds(event(RecordEvent.WATERMARK, 0, null)));
        assertFalse(alignment.holds(event(RecordEvent.RECORD, 1, "other input")));

        assertTrue(alignment.onBarrier(1, checkpoint), "both inputs are aligned");
        assertSame(checkpoint, alignment.complete());
        assertFalse(alignment.holds(event(RecordEvent.RECORD, 0, "next")));
    }

    @Test
    void ticksAndEndsOfInputAreNeverHeld() {
        BarrierAlignment alignment = new BarrierAlignment(2);
        alignment.onBarrier(0, pending());
        assertFalse(alignment.holds(event(RecordEvent.TICK, -1, null)));
        assertFalse(alignment.holds(event(RecordEvent.END_OF_INPUT, 0, null)));
    }

    @Test
    void anEndedInputCountsAsAlignedForTheCheckpointInFlightAndEveryLaterOne() {
        BarrierAlignment alignment = new BarrierAlignment(2);
        PendingCheckpoint first = pending();
        assertFalse(alignment.onBarrier(0, first));
        assertTrue(alignment.onEnded(1), "the end of the last unaligned input completes the alignment");
        assertSame(first, alignment.complete());
        coordinator.abort("next");

        assertTrue(alignment.onBarrier(0, pending()), "the ended input is aligned from the start");
    }

    @Test
    void heldEventsAreCopiesReleasedInArrivalOrder() {
        BarrierAlignment alignment = new BarrierAlignment(1);
        alignment.onBarrier(0, pending());
        RecordEvent slot = event(RecordEvent.RECORD, 0, "a");
        slot.timestamp = 1;
        alignment.hold(slot);
        slot.value = "b"; // the ring reuses its slot for the next event
        slot.timestamp = 2;
        alignment.hold(slot);

        RecordEvent[] held = alignment.releaseHeld();
        assertEquals(2, held.length);
        assertArrayEquals(new Object[] {"a", "b"}, new Object[] {held[0].value, held[1].value});
        assertEquals(1, held[0].timestamp);
        assertEquals(0, alignment.releaseHeld().length, "released events are no longer held");
    }
}
