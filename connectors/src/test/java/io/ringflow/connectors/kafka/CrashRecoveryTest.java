package io.ringflow.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.connectors.kafka.testing.KafkaBroker;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kills the application's JVM with SIGKILL at random moments, restarts it on the same state
 * directory each time, and checks the final windowed counts equal those of a run without
 * crashes: restored state and source offsets count every record exactly once. One record in
 * 50 is 5 s late: a run without crashes drops it, and so must every restart, which resumes
 * event time from the checkpoint. With the exactly-once sink, a read_committed consumer also
 * sees each window's count exactly once.
 */
class CrashRecoveryTest {

    private static final int RECORDS = 30_000;
    private static final int KEYS = 10;

    @TempDir
    Path state;

    @ParameterizedTest
    @ValueSource(strings = {"at-least-once", "exactly-once"})
    void windowedCountsSurviveRepeatedSigkillsExactly(String mode) throws Exception {
        boolean exactlyOnce = mode.equals("exactly-once");
        try (KafkaBroker broker = KafkaBroker.start(); KafkaTopicIo kafka = new KafkaTopicIo(broker.bootstrapServers())) {
            broker.createTopic("crash-in", 1);
            broker.createTopic("crash-out", 1);
            Map<String, String> expected = new TreeMap<>();
            Map<String, Long> counts = new TreeMap<>();
            SplittableRandom random = new SplittableRandom(7);
            for (int i = 0; i < RECORDS; i++) {
                String key = "k" + (i % KEYS);
                long time = i * 2L - random.nextInt(50); // 500 records per event-time second, slightly out of order
                boolean late = i >= 5_000 && i % 50 == 0;
                if (late) {
                    time -= 5_000; // its window closed 4 s of event time ago, before a crash or after it
                }
                kafka.sendAsync("crash-in", 0, key, key + "@" + time, Math.max(0, time));
                if (!late) {
                    counts.merge(key + "@" + Math.max(0, time) / 1_000 * 1_000, 1L, Long::sum);
                }
            }
            kafka.send("crash-in", 0, "end", "end", 10_000_000L); // closes every window
            counts.forEach((window, count) -> expected.put(window, Long.toString(count)));
            counts.clear();
            expected.put("end@10000000", null); // never closes
            expected.remove("end@10000000");

            for (int round = 0; round < 3; round++) {
                Process app = start(broker.bootstrapServers(), round, mode);
                awaitStarted(round, mode);
                Thread.sleep(200 + random.nextInt(1_500)); // somewhere in the middle of reading and checkpointing
                app.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no flush, no final commit
            }
            Process app = start(broker.bootstrapServers(), 3, mode);
            try {
                Map<String, String> last = new TreeMap<>();
                List<ConsumerRecord<String, String>> output = List.of();
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (System.nanoTime() < deadline && !last.equals(expected)) {
                    last.clear();
                    output = kafka.read("crash-out", Integer.MAX_VALUE, Duration.ofSeconds(2), exactlyOnce);
                    for (ConsumerRecord<String, String> r : output) {
                        last.put(r.key(), r.value());
                    }
                }
                List<ConsumerRecord<String, String>> written = output;
                assertEquals(expected, last, () -> "final windowed counts after 3 SIGKILLs differ from a run without"
                        + " crashes; " + whatDiffers(kafka, expected, last, written));
                if (exactlyOnce) {
                    Thread.sleep(500); // a duplicate committed late would show now
                    output = kafka.read("crash-out", Integer.MAX_VALUE, Duration.ofSeconds(2), true);
                    Map<String, Integer> times = new TreeMap<>();
                    for (ConsumerRecord<String, String> r : output) {
                        times.merge(r.key(), 1, Integer::sum);
                    }
                    times.values().removeIf(n -> n == 1);
                    assertEquals(Map.of(), times, "windows whose count a read_committed consumer saw more than once");
                    assertEquals(expected.size(), output.size());
                }
            } finally {
                app.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * For each window whose count differs: how many records the input topic holds for it (did
     * the input lose some?) and every count the application wrote for it, in order.
     */
    private static String whatDiffers(KafkaTopicIo kafka, Map<String, String> expected, Map<String, String> last,
                                      List<ConsumerRecord<String, String>> written) {
        Map<String, Long> input = new TreeMap<>();
        for (ConsumerRecord<String, String> r : kafka.read("crash-in", Integer.MAX_VALUE, Duration.ofSeconds(2))) {
            input.merge(r.key() + "@" + r.timestamp() / 1_000 * 1_000, 1L, Long::sum);
        }
        StringBuilder differs = new StringBuilder();
        for (String window : new TreeSet<>(expected.keySet())) {
            if (!expected.get(window).equals(last.get(window))) {
                differs.append(window).append(": expected ").append(expected.get(window)).append(", input holds (late ones too) ")
                        .append(input.get(window)).append(", written ").append(written.stream()
                                .filter(r -> r.key().equals(window)).map(r -> r.value() + "@" + r.offset()).toList())
                        .append("; ");
            }
        }
        return differs.toString();
    }

    private static void awaitStarted(int round, String mode) throws Exception {
        Path log = Path.of("target", "crash-app-" + mode + "-" + round + ".log");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.readString(log).contains("started")) {
            assertTrue(System.nanoTime() < deadline, "the application did not start; see " + log);
            Thread.sleep(20);
        }
    }

    private Process start(String bootstrap, int round, String mode) throws Exception {
        File log = Path.of("target", "crash-app-" + mode + "-" + round + ".log").toFile();
        Process process = new ProcessBuilder(ChildJava.command(List.of("-Dorg.slf4j.simpleLogger.log.io.ringflow=info"),
                CrashApp.class.getName(), bootstrap, state.toString(), mode))
                .redirectErrorStream(true)
                .redirectOutput(log)
                .start();
        assertTrue(process.isAlive(), "the application did not start; see " + log);
        return process;
    }
}
