package io.ringflow.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.connectors.kafka.testing.KafkaBroker;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Chaos: the application ({@link ChaosApp}: a running count per key and a count per 1 s
 * event-time window, read from a 3-partition topic as a consumer group, RocksDB state,
 * checkpoints every 200 ms) is SIGKILLed at moments drawn from a seeded random: right after it
 * starts (before a record reaches its keyed operators), right after it restored a checkpoint,
 * during a checkpoint, between checkpoints, and after runs that process nothing new; some runs
 * stop cleanly, and a partition stays quiet for whole runs. The test writes the input in batches
 * between restarts and while the application runs, and keeps the truth. After the last
 * restart the latest count of every key and of every window equals the truth; with
 * exactly-once sinks a {@code read_committed} consumer sees every key's counts exactly once,
 * 1, 2, ..., n, and every window's count once.
 *
 * <p>The seed is printed at the start and in every failure; {@code -Dchaos.seed=N} repeats a
 * run's schedule (the moments are drawn from it; the timing of the machine is not).
 */
class ChaosTest {

    private static final long SEED = Long.getLong("chaos.seed", System.nanoTime());
    private static final int PARTITIONS = 3;
    /** Key {@code k} goes to partition {@code k % PARTITIONS}: the topic is partitioned by key. */
    private static final int KEYS = 12;
    /** Records per batch of input; each is 2 ms of event time after the one before. */
    private static final int BATCH = 1_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern CHECKPOINT = Pattern.compile("checkpoint (\\d+) complete");
    private static final Pattern RESTORED = Pattern.compile("restored checkpoint (\\d+)");

    /** How a run of the application ends. */
    private enum Moment {
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

    @TempDir
    Path directory;

    private final SplittableRandom random = new SplittableRandom(SEED);
    private KafkaBroker broker;
    private KafkaTopicIo kafka;
    private String mode;
    /** Per key, how many records the test wrote: what its final count must be. */
    private final Map<String, Long> keyTruth = new TreeMap<>();
    /** Per {@code key@windowStart}, how many records the test wrote into it. */
    private final Map<String, Long> windowTruth = new TreeMap<>();
    private long sequence;
    private int kills;
    /** One line per run of an application instance: what happened, for a failure message. */
    private final List<String> history = Collections.synchronizedList(new ArrayList<>());
    private final List<Child> children = new ArrayList<>();
    private final Map<String, Integer> runs = new TreeMap<>();

    @AfterEach
    void stopEverything() {
        for (Child child : children) {
            child.process.destroyForcibly();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest
    // count-only: the running count without the window operator, which opens every shard's
    // database when it starts and so keeps it in every checkpoint; alone, a shard's database
    // opens with the first record it gets.
    @ValueSource(strings = {"at-least-once", "exactly-once", "count-only"})
    void countsAndWindowsAreExactAfterSigkillsAtRandomMoments(String sinkMode) throws Exception {
        start(sinkMode);
        List<Moment> plan = planOneInstance();
        System.out.println("ChaosTest " + mode + ": seed " + SEED + " (-Dchaos.seed=" + SEED + "), plan " + plan);
        // A partition stays quiet for the three runs after one killed about when a checkpoint
        // completed, with its reader idle: its offsets may not be committed yet.
        int quietFrom = quietAfterCheckpointKill(plan);
        int quiet = random.nextInt(PARTITIONS);
        Path state = directory.resolve("state");
        for (int round = 0; round < plan.size(); round++) {
            Moment moment = plan.get(round);
            // One partition gets nothing for three runs in a row; others now and then for one run.
            Integer quietPartition = round >= quietFrom && round < quietFrom + 3 ? Integer.valueOf(quiet)
                    : random.nextInt(4) == 0 ? Integer.valueOf(random.nextInt(PARTITIONS)) : null;
            runOnce(moment, quietPartition, () -> startChild("solo", state, null));
        }
        finish(List.of(startChild("solo", state, null)));
    }

    @Test
    void twoInstancesSharingCheckpointsCountExactlyAfterSigkillsAtRandomMoments() throws Exception {
        start("shared");
        Path shared = directory.resolve("shared");
        Map<String, Child> live = new TreeMap<>();
        for (String id : List.of("a", "b")) {
            live.put(id, startChild(id, directory.resolve(id), shared));
        }
        for (Child child : live.values()) {
            child.await("started", 0);
        }
        List<Moment> plan = planTwoInstances();
        // Twice an instance stays down until the other has taken its partitions over.
        Set<Integer> stayDown = new TreeSet<>();
        while (stayDown.size() < 2) {
            stayDown.add(random.nextInt(plan.size()));
        }
        System.out.println("ChaosTest shared: seed " + SEED + " (-Dchaos.seed=" + SEED + "), plan " + plan
                + ", an instance stays down in events " + stayDown);
        int quietFrom = quietAfterCheckpointKill(plan);
        int quiet = random.nextInt(PARTITIONS);
        for (int event = 0; event < plan.size(); event++) {
            Moment moment = plan.get(event);
            Integer quietPartition = event >= quietFrom && event < quietFrom + 3 ? Integer.valueOf(quiet)
                    : random.nextInt(4) == 0 ? Integer.valueOf(random.nextInt(PARTITIONS)) : null;
            int pick = random.nextInt(5);
            List<String> victims = pick < 2 ? List.of("a") : pick < 4 ? List.of("b") : List.of("a", "b");
            if (moment == Moment.CAUGHT_UP || stayDown.contains(event)) {
                victims = List.of(victims.get(0));
            }
            boolean down = stayDown.contains(event);
            List<Child> killed = new ArrayList<>();
            Thread producer = null;
            if (moment == Moment.CAUGHT_UP) {
                awaitCaughtUp(live.values());
            } else if (moment != Moment.IDLE && moment != Moment.IDLE_STOP && moment != Moment.AFTER_START) {
                // The instances that stay up read it now; the restarted ones after their restore.
                producer = produceWhileRunning(BATCH, quietPartition);
            }
            for (String id : victims) {
                Child child = live.remove(id);
                if (moment == Moment.AFTER_RESTORE || moment == Moment.AFTER_START) {
                    // This instance is long past its restore and start: kill it now, restart it, and kill
                    // the new run at the moment.
                    endRun(child, random.nextBoolean() ? Moment.BETWEEN_CHECKPOINTS : Moment.DURING_CHECKPOINT,
                            quietPartition);
                    child = startChild(id, directory.resolve(id), shared);
                }
                killed.add(child);
            }
            for (Child child : killed) {
                endRun(child, moment, quietPartition);
            }
            if (producer != null) {
                producer.join();
            }
            if (moment == Moment.AFTER_START) {
                produce(BATCH, quietPartition); // after the kill, before the restart
            }
            if (down) {
                // The group notices the death after the session timeout; every partition then runs on the survivor.
                String survivor = victims.get(0).equals("a") ? "b" : "a";
                Child other = live.get(survivor);
                int from = other.log().length();
                Thread input = produceWhileRunning(BATCH, quietPartition);
                other.await("moves here", from);
                input.join();
                history.add("  " + survivor + " took the partitions of " + victims.get(0) + " over");
            }
            for (Child child : killed) {
                live.put(child.id, startChild(child.id, directory.resolve(child.id), shared));
            }
            for (Child child : live.values()) {
                child.await("started", 0);
            }
        }
        finish(new ArrayList<>(live.values()));
    }

    private void start(String sinkMode) throws Exception {
        mode = sinkMode;
        broker = KafkaBroker.start();
        kafka = new KafkaTopicIo(broker.bootstrapServers());
        broker.createTopic("chaos-in", PARTITIONS);
        broker.createTopic("chaos-counts", PARTITIONS);
        broker.createTopic("chaos-windows", PARTITIONS);
    }

    /**
     * Nineteen runs: every moment of an input run at least twice, in random order, and twice
     * the sequence caught-up, idle, idle (one of the two idle runs stopping cleanly).
     */
    private List<Moment> planOneInstance() {
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
    private List<Moment> planTwoInstances() {
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
    private int quietAfterCheckpointKill(List<Moment> plan) {
        List<Integer> after = new ArrayList<>();
        for (int i = 0; i + 1 < plan.size(); i++) {
            if (plan.get(i) == Moment.DURING_CHECKPOINT) {
                after.add(i + 1);
            }
        }
        return after.get(random.nextInt(after.size()));
    }

    private void shuffle(List<Moment> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, random.nextInt(i + 1));
        }
    }

    /** One run of the single instance: its input, its start and how it ends. */
    private void runOnce(Moment moment, Integer quietPartition, ChildStarter starter) throws Exception {
        Thread producer = null;
        if (moment == Moment.DURING_CHECKPOINT || moment == Moment.BETWEEN_CHECKPOINTS
                || moment == Moment.AFTER_RESTORE) {
            int before = BATCH / 4 + random.nextInt(BATCH / 2);
            produce(before, quietPartition); // waiting when the application starts
            Child child = starter.start();
            if (moment != Moment.AFTER_RESTORE) {
                child.await("started", 0);
                producer = produceWhileRunning(BATCH - before, quietPartition);
            }
            if (moment == Moment.DURING_CHECKPOINT) {
                // All input in first: the reader idles in poll when the checkpoint completes, and
                // commits its offsets only when the poll returns.
                producer.join();
            }
            endRun(child, moment, quietPartition);
            if (producer != null) {
                producer.join();
            }
            if (moment == Moment.AFTER_RESTORE) {
                produce(BATCH - before, quietPartition);
            }
        } else if (moment == Moment.AFTER_START) {
            endRun(starter.start(), moment, quietPartition);
            produce(BATCH, quietPartition); // for the next run: this one never saw it
        } else {
            Child child = starter.start();
            if (moment == Moment.CAUGHT_UP) {
                awaitCaughtUp(List.of(child));
            }
            endRun(child, moment, null);
        }
    }

    @FunctionalInterface
    private interface ChildStarter {
        Child start() throws Exception;
    }

    /** Ends {@code child}'s run at {@code moment}: a SIGKILL, or a clean stop for {@link Moment#IDLE_STOP}. */
    private void endRun(Child child, Moment moment, Integer quietPartition) throws Exception {
        String how;
        switch (moment) {
            case AFTER_START -> {
                child.await("started", 0);
                int delay = random.nextInt(51);
                pause(delay);
                how = "killed " + delay + " ms after it started";
            }
            case AFTER_RESTORE -> {
                child.await("restored checkpoint", 0);
                int delay = random.nextInt(21);
                pause(delay);
                how = "killed " + delay + " ms after its restore";
            }
            case DURING_CHECKPOINT, BETWEEN_CHECKPOINTS, CAUGHT_UP, IDLE, IDLE_STOP -> {
                int from = Math.max(child.await("started", 0), child.log().length());
                int checkpoints = 1 + random.nextInt(moment == Moment.IDLE || moment == Moment.IDLE_STOP ? 4 : 3);
                long id = 0;
                for (int i = 0; i < checkpoints; i++) {
                    from = child.awaitCheckpoint(from);
                    id = child.lastCheckpointIn(from);
                }
                int delay = moment == Moment.DURING_CHECKPOINT ? 190 + random.nextInt(41) : 10 + random.nextInt(150);
                pause(delay);
                how = (moment == Moment.IDLE_STOP ? "stopped " : "killed ") + delay + " ms after checkpoint " + id;
            }
            default -> throw new IllegalArgumentException(moment.toString());
        }
        if (moment == Moment.IDLE_STOP) {
            child.stop();
        } else {
            child.kill();
        }
        history.add(child.name + " " + moment + ": restored " + child.restored() + ", " + how
                + ", wrote checkpoints " + child.checkpoints()
                + (quietPartition != null && moment.compareTo(Moment.BETWEEN_CHECKPOINTS) <= 0
                ? ", partition " + quietPartition + " got nothing" : "")
                + "; input so far " + sequence);
    }

    /** Sleeps to pick a moment to kill at, not to wait for a result. */
    private static void pause(int millis) throws InterruptedException {
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    /** Writes {@code count} records now, and waits until the broker has them all. */
    private void produce(int count, Integer quietPartition) throws Exception {
        SplittableRandom jitter = random.split();
        for (int i = 0; i < count; i++) {
            produceOne(jitter, quietPartition, i == count - 1);
        }
    }

    /** Writes {@code count} records from another thread, about two a millisecond; join it before reading the truth. */
    private Thread produceWhileRunning(int count, Integer quietPartition) {
        SplittableRandom jitter = random.split();
        Thread thread = new Thread(() -> {
            try {
                long start = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    produceOne(jitter, quietPartition, i == count - 1);
                    LockSupport.parkNanos(start + i * 500_000L - System.nanoTime());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "chaos-input");
        thread.start();
        return thread;
    }

    /**
     * One record of a random key (not of the quiet partition), 2 ms of event time after the one
     * before, up to 40 ms out of order (the application allows 100). {@code last}: waits until
     * the broker has it and every record before it.
     */
    private void produceOne(SplittableRandom jitter, Integer quietPartition, boolean last) throws Exception {
        int k;
        do {
            k = jitter.nextInt(KEYS);
        } while (quietPartition != null && k % PARTITIONS == quietPartition);
        String key = String.format("k%02d", k);
        long time = Math.max(0, ++sequence * 2 - jitter.nextInt(40));
        synchronized (keyTruth) {
            keyTruth.merge(key, 1L, Long::sum);
            windowTruth.merge(key + "@" + time / 1_000 * 1_000, 1L, Long::sum);
        }
        if (last) {
            kafka.send("chaos-in", k % PARTITIONS, key, Long.toString(sequence), time);
        } else {
            kafka.sendAsync("chaos-in", k % PARTITIONS, key, Long.toString(sequence), time);
        }
    }

    /**
     * Waits until the output shows every key counted up to the truth (or stops growing without
     * it, which the final checks then report), and then for one more checkpoint of each live
     * instance: that one holds everything, so a restart from it has nothing new to process.
     */
    private void awaitCaughtUp(java.util.Collection<Child> live) throws Exception {
        Map<Child, Integer> from = new java.util.HashMap<>();
        try (Output counts = new Output(broker.bootstrapServers(), "chaos-counts", mode.equals("exactly-once"))) {
            settle(() -> counts.latestCounts().equals(keyTruth), Duration.ofSeconds(3), Duration.ofSeconds(20), counts);
            for (Child child : live) {
                from.put(child, child.log().length());
            }
            boolean caughtUp = counts.latestCounts().equals(keyTruth);
            for (Child child : live) {
                child.awaitCheckpoint(from.get(child));
            }
            if (!caughtUp) {
                history.add("  did not catch up: latest counts " + counts.latestCounts() + ", truth " + keyTruth);
            }
        }
    }

    /** Polls the outputs until {@code done}, or until they stop growing for {@code quiet}, or {@code limit}. */
    private static boolean settle(BooleanSupplier done, Duration quiet, Duration limit, Output... outputs) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            long grew = Long.MIN_VALUE;
            for (Output output : outputs) {
                output.poll();
                grew = Math.max(grew, output.grewAt);
            }
            if (done.getAsBoolean()) {
                return true;
            }
            long now = System.nanoTime();
            if (now - grew > quiet.toNanos() || now > deadline) {
                return false;
            }
            LockSupport.parkNanos(50_000_000L);
        }
    }

    /**
     * The last restart: closes every window (a record far ahead on each partition), waits for
     * the outputs to reach the truth or to settle, then compares everything written with it.
     */
    private void finish(List<Child> last) throws Exception {
        for (Child child : last) {
            child.await("started", 0);
        }
        for (int p = 0; p < PARTITIONS; p++) {
            kafka.send("chaos-in", p, "end", "end", 10_000_000L);
        }
        boolean exactlyOnce = mode.equals("exactly-once");
        try (Output counts = new Output(broker.bootstrapServers(), "chaos-counts", exactlyOnce);
             Output windows = new Output(broker.bootstrapServers(), "chaos-windows", exactlyOnce)) {
            Map<String, Long> windowTruth = mode.equals("count-only") ? Map.of() : this.windowTruth;
            settle(() -> counts.latestCounts().equals(keyTruth) && windows.latestCounts().equals(windowTruth),
                    Duration.ofSeconds(8), Duration.ofSeconds(60), counts, windows);
        }
        if (exactlyOnce) {
            LockSupport.parkNanos(500_000_000L); // a duplicate committed late would show now
        }
        for (Child child : last) {
            assertTrue(child.process.isAlive(), () -> "seed " + SEED + ": " + child.name
                    + " died on its own; its log ends:\n" + child.tail());
        }
        System.out.println("ChaosTest " + mode + ": seed " + SEED + ", " + kills + " kills, " + sequence
                + " records; history:\n" + String.join("\n", history));
        List<ConsumerRecord<String, String>> countsWritten;
        List<ConsumerRecord<String, String>> windowsWritten;
        try (Output counts = new Output(broker.bootstrapServers(), "chaos-counts", exactlyOnce);
             Output windows = new Output(broker.bootstrapServers(), "chaos-windows", exactlyOnce)) {
            countsWritten = counts.poll().records;
            windowsWritten = windows.poll().records;
        }
        Map<String, List<Long>> byKey = valuesByKey(countsWritten);
        Map<String, List<Long>> byWindow = valuesByKey(windowsWritten);
        Map<String, Long> finalCounts = lastOf(byKey);
        Map<String, Long> finalWindows = lastOf(byWindow);
        // Every key's counts as written (exactly-once) or the distinct ones (at-least-once may repeat a stretch).
        Map<String, String> expectedCountRuns = new TreeMap<>();
        keyTruth.forEach((key, n) -> expectedCountRuns.put(key, "1.." + n));
        Map<String, String> countRuns = new TreeMap<>();
        byKey.forEach((key, values) -> countRuns.put(key, runs(exactlyOnce ? values : new ArrayList<>(new TreeSet<>(values)))));
        Map<String, Long> windowTruth = mode.equals("count-only") ? Map.of() : this.windowTruth;
        Map<String, List<Long>> expectedWindowValues = new TreeMap<>();
        windowTruth.forEach((window, n) -> expectedWindowValues.put(window, List.of(n)));
        Map<String, List<Long>> windowValues = new TreeMap<>();
        byWindow.forEach((window, values) -> windowValues.put(window, exactlyOnce ? values
                : new ArrayList<>(new TreeSet<>(values))));
        Supplier<String> context = () -> "; seed " + SEED + " (-Dchaos.seed=" + SEED + "), " + mode + ", " + kills
                + " kills, " + sequence + " records; logs target/chaos-" + mode + "-*.log; history:\n"
                + String.join("\n", history);
        assertTrue(kills >= 15, "only " + kills + " kills");
        assertAll("seed " + SEED,
                () -> assertEquals(keyTruth, finalCounts, () -> "the latest count of each key differs from the"
                        + " records written; " + explainKeys(differing(keyTruth, finalCounts), byKey) + context.get()),
                () -> assertEquals(windowTruth, finalWindows, () -> "the latest count of each window differs from the"
                        + " records written; " + explainWindows(differing(windowTruth, finalWindows), byWindow)
                        + context.get()),
                () -> assertEquals(expectedCountRuns, countRuns, () -> (exactlyOnce
                        ? "read_committed, each key's counts must be 1, 2, ..., n exactly once; "
                        : "each key's counts must cover 1..n and never pass n; ")
                        + explainKeys(differing(expectedCountRuns, countRuns), byKey) + context.get()),
                () -> assertEquals(expectedWindowValues, windowValues, () -> (exactlyOnce
                        ? "read_committed, each window's count must show once, and be exact; "
                        : "every count written for a window must be exact; ")
                        + explainWindows(differing(expectedWindowValues, windowValues), byWindow) + context.get()));
    }

    /** Each key's values in the order written, without the "end" markers. */
    private static Map<String, List<Long>> valuesByKey(List<ConsumerRecord<String, String>> records) {
        Map<String, List<Long>> byKey = new TreeMap<>();
        for (ConsumerRecord<String, String> r : records) {
            if (!isMarker(r.key())) {
                byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(Long.parseLong(r.value()));
            }
        }
        return byKey;
    }

    private static boolean isMarker(String key) {
        return key.startsWith("end");
    }

    private static Map<String, Long> lastOf(Map<String, List<Long>> byKey) {
        Map<String, Long> last = new TreeMap<>();
        byKey.forEach((key, values) -> last.put(key, values.get(values.size() - 1)));
        return last;
    }

    private static <V> Set<String> differing(Map<String, V> expected, Map<String, V> actual) {
        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        keys.removeIf(key -> java.util.Objects.equals(expected.get(key), actual.get(key)));
        return keys;
    }

    /** Values as runs of consecutive numbers: {@code 1..40, 31..90} shows a stretch counted twice. */
    static String runs(List<Long> values) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < values.size()) {
            int j = i;
            while (j + 1 < values.size() && values.get(j + 1) == values.get(j) + 1) {
                j++;
            }
            out.append(out.isEmpty() ? "" : ", ").append(values.get(i));
            if (j > i) {
                out.append("..").append(values.get(j));
            }
            i = j + 1;
        }
        return out.toString();
    }

    /**
     * For each key: what the test wrote, what the input topic holds (fewer: input was lost, not
     * processing) and every count written, as runs (a run starting again low: state was lost; a
     * run going past the truth: input was read twice).
     */
    private String explainKeys(Set<String> keys, Map<String, List<Long>> written) {
        Map<String, Long> input = new TreeMap<>();
        for (ConsumerRecord<String, String> r : readInput()) {
            if (!isMarker(r.key())) {
                input.merge(r.key(), 1L, Long::sum);
            }
        }
        StringBuilder out = new StringBuilder(keys.size() + " key(s) differ: ");
        for (String key : keys) {
            out.append(key).append(": wrote ").append(keyTruth.get(key)).append(" records, input topic holds ")
                    .append(input.get(key)).append(", counts written ")
                    .append(runs(written.getOrDefault(key, List.of()))).append("; ");
        }
        return out.toString();
    }

    private String explainWindows(Set<String> windows, Map<String, List<Long>> written) {
        Map<String, Long> input = new TreeMap<>();
        for (ConsumerRecord<String, String> r : readInput()) {
            if (!isMarker(r.key())) {
                input.merge(r.key() + "@" + r.timestamp() / 1_000 * 1_000, 1L, Long::sum);
            }
        }
        StringBuilder out = new StringBuilder(windows.size() + " window(s) differ: ");
        for (String window : windows) {
            out.append(window).append(": wrote ").append(windowTruth.get(window)).append(" records, input topic holds ")
                    .append(input.get(window)).append(", counts written ")
                    .append(written.getOrDefault(window, List.of())).append("; ");
        }
        return out.toString();
    }

    private List<ConsumerRecord<String, String>> readInput() {
        try (Output input = new Output(broker.bootstrapServers(), "chaos-in", false)) {
            return input.poll().records;
        }
    }

    private Child startChild(String id, Path state, Path shared) throws Exception {
        int run = runs.merge(id, 1, Integer::sum) - 1;
        String name = id + "#" + run;
        Path log = Path.of("target", "chaos-" + mode + "-" + id + "-" + run + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dorg.slf4j.simpleLogger.log.io.ringflow=info", "-cp", System.getProperty("java.class.path"),
                ChaosApp.class.getName(), broker.bootstrapServers(), state.toString(), mode));
        if (shared != null) {
            command.add(shared.toString());
            command.add(id);
        }
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Child child = new Child(id, name, process, log);
        children.add(child);
        return child;
    }

    /** One run of one application instance: its process and its log. */
    private final class Child {
        final String id;
        final String name;
        final Process process;
        final Path log;

        Child(String id, String name, Process process, Path log) {
            this.id = id;
            this.name = name;
            this.process = process;
            this.log = log;
        }

        String log() {
            try {
                return Files.exists(log) ? Files.readString(log) : "";
            } catch (IOException e) {
                return "";
            }
        }

        String tail() {
            String text = log();
            return text.substring(Math.max(0, text.length() - 4_000));
        }

        /** Waits for {@code text} in the log after character {@code from}; returns where it ends. */
        int await(String text, int from) throws InterruptedException {
            return awaitLog(() -> {
                int at = log().indexOf(text, from);
                return at < 0 ? -1 : at + text.length();
            }, "'" + text + "'");
        }

        /** Waits for a completed checkpoint in the log after character {@code from}; returns where its line ends. */
        int awaitCheckpoint(int from) throws InterruptedException {
            return awaitLog(() -> {
                Matcher m = CHECKPOINT.matcher(log());
                return m.find(from) ? m.end() : -1;
            }, "a completed checkpoint");
        }

        private int awaitLog(java.util.function.IntSupplier found, String what) throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                int at = found.getAsInt();
                if (at >= 0) {
                    return at;
                }
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("seed " + SEED + ": " + name + (process.isAlive() ? " did not log "
                            : " died before it logged ") + what + " within " + TIMEOUT + "; " + log + " ends:\n"
                            + tail() + "\nhistory:\n" + String.join("\n", history));
                }
                Thread.sleep(5);
            }
        }

        long lastCheckpointIn(int end) {
            Matcher m = CHECKPOINT.matcher(log().substring(0, end));
            long id = 0;
            while (m.find()) {
                id = Long.parseLong(m.group(1));
            }
            return id;
        }

        String restored() {
            Matcher m = RESTORED.matcher(log());
            return m.find() ? m.group(1) : "?";
        }

        /** The ids of the checkpoints this run completed, as runs. */
        String checkpoints() {
            Matcher m = CHECKPOINT.matcher(log());
            List<Long> ids = new ArrayList<>();
            while (m.find()) {
                ids.add(Long.parseLong(m.group(1)));
            }
            return ids.isEmpty() ? "none" : runs(ids);
        }

        void kill() throws InterruptedException {
            assertTrue(process.isAlive(), () -> "seed " + SEED + ": " + name + " died on its own; " + log
                    + " ends:\n" + tail());
            process.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no flush, no final checkpoint
            kills++;
        }

        void stop() throws Exception {
            try (OutputStream in = process.getOutputStream()) {
                in.write("stop\n".getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(process.waitFor(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS),
                    () -> "seed " + SEED + ": " + name + " did not stop within " + TIMEOUT + "; " + log + " ends:\n"
                            + tail());
            assertTrue(log().contains("stopped "), () -> "seed " + SEED + ": "
                    + name + " ended without stopping; " + log + " ends:\n" + tail());
        }
    }

    /** Everything a topic holds, read on from where the last {@link #poll} ended. */
    private static final class Output implements AutoCloseable {
        final KafkaConsumer<String, String> consumer;
        final List<TopicPartition> partitions = new ArrayList<>();
        final List<ConsumerRecord<String, String>> records = new ArrayList<>();
        final Map<String, Long> latest = new TreeMap<>();
        long grewAt = System.nanoTime();

        Output(String bootstrap, String topic, boolean committedOnly) {
            consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                    "isolation.level", committedOnly ? "read_committed" : "read_uncommitted"),
                    new StringDeserializer(), new StringDeserializer());
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** Reads up to the end the topic has now (for read_committed: its last stable offset). */
        Output poll() {
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    records.add(r);
                    if (!isMarker(r.key())) {
                        latest.put(r.key(), Long.parseLong(r.value()));
                    }
                    grewAt = System.nanoTime();
                }
            }
            return this;
        }

        Map<String, Long> latestCounts() {
            return latest;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
