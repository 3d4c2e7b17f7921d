package io.ringflow.connectors.kafka;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * When {@link ChaosTest} ends a run of the application: the moments of its runs, in an order
 * drawn from the test's seeded random, and which partition gets no input in a run. It draws
 * from the test's own random, in the order the test asks, so a seed repeats a schedule.
 */
final class ChaosSchedule {

    /** How a run of the application ends. */
    enum Moment {
        /** 0-50 ms after it printed "started", before the batch of input for it is written. */
        AFTER_START,
        /** 0-20 ms after it restored its checkpoint, before it started. */
        AFTER_RESTORE,
        /** About when the next checkpoint is taken (the interval is 200 ms after the last completed). */
        DURING_CHECKPOINT,
        /** Well inside the interval after a completed checkpoint. */
        BETWEEN_CHECKPOINTS,
        /** No new input: runs until it has counted everything and checkpointed, then is killed. */
        CAUGHT_UP,
        /** No new input at all while it runs (after a caught-up run): killed after a few checkpoints. */
        IDLE,
        /** No new input at all while it runs: stopped cleanly after a few checkpoints. */
        IDLE_STOP
    }

    private final SplittableRandom random;

    ChaosSchedule(SplittableRandom random) {
        this.random = random;
    }

    /**
     * Nineteen runs: every moment of an input run at least twice, in random order, and twice
     * the sequence caught-up, idle, idle (one of the two idle runs stopping cleanly).
     */
    List<Moment> planOneInstance() {
        List<Moment> input = new ArrayList<>();
        Moment[] kinds = {Moment.AFTER_START, Moment.AFTER_RESTORE, Moment.DURING_CHECKPOINT,
                Moment.BETWEEN_CHECKPOINTS};
        for (Moment kind : kinds) {
            input.add(kind);
            input.add(kind);
        }
        while (input.size() < 13) {
            input.add(kinds[random.nextInt(kinds.length)]);
        }
        shuffle(input);
        List<List<Moment>> blocks = new ArrayList<>();
        input.forEach(m -> blocks.add(List.of(m)));
        for (int i = 0; i < 2; i++) {
            List<Moment> idle = random.nextBoolean() ? List.of(Moment.CAUGHT_UP, Moment.IDLE, Moment.IDLE_STOP)
                    : List.of(Moment.CAUGHT_UP, Moment.IDLE_STOP, Moment.IDLE);
            blocks.add(1 + random.nextInt(blocks.size()), idle); // never first: there is state to lose
        }
        List<Moment> plan = new ArrayList<>();
        blocks.forEach(plan::addAll);
        return plan;
    }

    /** Fifteen events, each ending one or both instances: every input moment at least twice, one idle sequence. */
    List<Moment> planTwoInstances() {
        List<Moment> input = new ArrayList<>();
        Moment[] kinds = {Moment.AFTER_START, Moment.AFTER_RESTORE, Moment.DURING_CHECKPOINT,
                Moment.BETWEEN_CHECKPOINTS};
        for (Moment kind : kinds) {
            input.add(kind);
            input.add(kind);
        }
        while (input.size() < 12) {
            input.add(kinds[random.nextInt(kinds.length)]);
        }
        shuffle(input);
        int at = 1 + random.nextInt(input.size() - 1);
        input.addAll(at, List.of(Moment.CAUGHT_UP, Moment.IDLE, Moment.IDLE_STOP));
        return input;
    }

    /** The run after a random one killed during a checkpoint. */
    int quietAfterCheckpointKill(List<Moment> plan) {
        List<Integer> after = new ArrayList<>();
        for (int i = 0; i + 1 < plan.size(); i++) {
            if (plan.get(i) == Moment.DURING_CHECKPOINT) {
                after.add(i + 1);
            }
        }
        return after.get(random.nextInt(after.size()));
    }

    /**
     * The partition that gets no input in run {@code run}, or null: partition {@code quiet} for
     * the three runs from {@code quietFrom} on; others now and then for one run.
     */
    Integer quietPartition(int run, int quietFrom, int quiet) {
        return run >= quietFrom && run < quietFrom + 3 ? Integer.valueOf(quiet)
                : random.nextInt(4) == 0 ? Integer.valueOf(random.nextInt(ChaosInput.PARTITIONS)) : null;
    }

    private void shuffle(List<Moment> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, random.nextInt(i + 1));
        }
    }
}
