package io.ringflow.internal.pipeline;

import io.ringflow.internal.checkpoint.PendingCheckpoint;
import java.util.ArrayList;

/**
 * One shard's side of an aligned checkpoint, as Flink's aligned checkpoints do it: once an
 * input's barrier is in, that input's events belong to the next checkpoint and are held until
 * every input's barrier is in. Passive: it says what to do and keeps what is held; the shard's
 * handler does the writing and the replay. An input that has ended counts as aligned for every
 * later checkpoint. Used on the shard's thread only.
 */
final class BarrierAlignment {

    private static final RecordEvent[] NONE_HELD = new RecordEvent[0];

    /** Inputs that have ended. */
    private final boolean[] ended;
    /** The checkpoint whose barriers are coming in, or {@code null}. */
    private PendingCheckpoint aligning;
    /** By input, whether its barrier (or its end) is in; meaningful while aligning. */
    private boolean[] barrierFrom;
    private int aligned;
    /** Events of inputs past their barrier, copied out of the ring, in arrival order. */
    private final ArrayList<RecordEvent> held = new ArrayList<>();

    BarrierAlignment(int inputs) {
        this.ended = new boolean[inputs];
    }

    /**
     * Whether {@code event} must wait for the alignment: its input's barrier is in. Ticks and
     * ends of input are never held (a tick carries no input; an end counts as that input's barrier).
     */
    boolean holds(RecordEvent event) {
        return aligning != null && event.kind != RecordEvent.TICK && event.input >= 0 && barrierFrom[event.input]
                && event.kind != RecordEvent.END_OF_INPUT;
    }

    /** Keeps a copy of {@code event}: its ring slot is reused once the handler returns. */
    void hold(RecordEvent event) {
        held.add(copyOf(event));
    }

    /** Whether the checkpoint being aligned was given up meanwhile: then nothing needs to wait for it. */
    boolean givenUp() {
        return aligning.abortedBecause() != null;
    }

    /**
     * Input {@code input}'s barrier of {@code checkpoint} is in.
     *
     * @return whether every input's barrier is now in: call {@link #complete()}
     */
    boolean onBarrier(int input, PendingCheckpoint checkpoint) {
        if (aligning == null) {
            aligning = checkpoint;
            barrierFrom = new boolean[ended.length];
            aligned = 0;
            for (int i = 0; i < ended.length; i++) {
                if (ended[i]) {
                    barrierFrom[i] = true;
                    aligned++;
                }
            }
        }
        if (!barrierFrom[input]) {
            barrierFrom[input] = true;
            aligned++;
        }
        return aligned == barrierFrom.length;
    }

    /**
     * Input {@code input} has ended: it has nothing more for the checkpoint being aligned, nor
     * for any later one.
     *
     * @return whether that completes the alignment in progress: call {@link #complete()}
     */
    boolean onEnded(int input) {
        ended[input] = true;
        if (aligning != null && !barrierFrom[input]) {
            barrierFrom[input] = true;
            return ++aligned == barrierFrom.length;
        }
        return false;
    }

    /** Ends the alignment; returns the checkpoint that was aligned. */
    PendingCheckpoint complete() {
        PendingCheckpoint checkpoint = aligning;
        aligning = null;
        return checkpoint;
    }

    /** What was held, in arrival order, to replay now that the alignment is complete; no longer held. */
    RecordEvent[] releaseHeld() {
        if (held.isEmpty()) {
            return NONE_HELD;
        }
        RecordEvent[] released = held.toArray(new RecordEvent[0]);
        held.clear();
        return released;
    }

    private static RecordEvent copyOf(RecordEvent event) {
        RecordEvent copy = new RecordEvent();
        copy.kind = event.kind;
        copy.entry = event.entry;
        copy.input = event.input;
        copy.watermark = event.watermark;
        copy.key = event.key;
        copy.value = event.value;
        copy.timestamp = event.timestamp;
        copy.partition = event.partition;
        copy.partitionWatermark = event.partitionWatermark;
        copy.sourceWatermark = event.sourceWatermark;
        copy.ingestNanos = event.ingestNanos;
        return copy;
    }
}
