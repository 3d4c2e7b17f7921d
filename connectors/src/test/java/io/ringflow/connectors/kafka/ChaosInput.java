package io.ringflow.connectors.kafka;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The input of {@link ChaosTest}: records of random keys written to {@code chaos-in}, and the
 * truth they make, what the test wrote per key and per window.
 */
final class ChaosInput {

    static final int PARTITIONS = 3;
    /** Key {@code k} goes to partition {@code k % PARTITIONS}: the topic is partitioned by key. */
    static final int KEYS = 12;

    private final KafkaTopicIo kafka;
    private final SplittableRandom random;
    /** Per key, how many records the test wrote: what its final count must be. */
    private final Map<String, Long> keyTruth = new TreeMap<>();
    /** Per {@code key@windowStart}, how many records the test wrote into it. */
    private final Map<String, Long> windowTruth = new TreeMap<>();
    private long sequence;

    /** {@code random}: the test's own, split for the timing of each batch. */
    ChaosInput(KafkaTopicIo kafka, SplittableRandom random) {
        this.kafka = kafka;
        this.random = random;
    }

    /** Per key, how many records the test wrote. */
    Map<String, Long> keyTruth() {
        return keyTruth;
    }

    /** Per {@code key@windowStart}, how many records the test wrote. */
    Map<String, Long> windowTruth() {
        return windowTruth;
    }

    /** How many records the test wrote. */
    long sequence() {
        return sequence;
    }

    /** Writes {@code count} records now, and waits until the broker has them all. */
    void produce(int count, Integer quietPartition) throws Exception {
        SplittableRandom jitter = random.split();
        for (int i = 0; i < count; i++) {
            produceOne(jitter, quietPartition, i == count - 1);
        }
    }

    /** Writes {@code count} records from another thread, about two a millisecond; join it before reading the truth. */
    Thread produceWhileRunning(int count, Integer quietPartition) {
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

    /** Closes every window: a record far ahead on each partition, which no count includes. */
    void closeEveryWindow() throws Exception {
        for (int p = 0; p < PARTITIONS; p++) {
            kafka.send("chaos-in", p, "end", "end", 10_000_000L);
        }
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
}
