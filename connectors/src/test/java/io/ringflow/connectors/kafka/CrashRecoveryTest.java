package io.ringflow.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.connectors.kafka.testing.KafkaBroker;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the application's JVM with SIGKILL at random moments, restarts it on the same state
 * directory each time, and checks the final windowed counts equal those of a run without
 * crashes: restored state and source offsets count every record exactly once.
 */
class CrashRecoveryTest {

    private static final int RECORDS = 30_000;
    private static final int KEYS = 10;

    @TempDir
    Path state;

    @Test
    void windowedCountsSurviveRepeatedSigkillsExactly() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(); KafkaTopicIo kafka = new KafkaTopicIo(broker.bootstrapServers())) {
            broker.createTopic("crash-in", 1);
            broker.createTopic("crash-out", 1);
            Map<String, String> expected = new TreeMap<>();
            Map<String, Long> counts = new TreeMap<>();
            SplittableRandom random = new SplittableRandom(7);
            for (int i = 0; i < RECORDS; i++) {
                String key = "k" + (i % KEYS);
                long time = i * 2L - random.nextInt(50); // 500 records per event-time second, slightly out of order
                kafka.sendAsync("crash-in", 0, key, key + "@" + time, Math.max(0, time));
                counts.merge(key + "@" + Math.max(0, time) / 1_000 * 1_000, 1L, Long::sum);
            }
            kafka.send("crash-in", 0, "end", "end", 10_000_000L); // closes every window
            counts.forEach((window, count) -> expected.put(window, Long.toString(count)));
            counts.clear();
            expected.put("end@10000000", null); // never closes
            expected.remove("end@10000000");

            for (int round = 0; round < 3; round++) {
                Process app = start(broker.bootstrapServers(), round);
                awaitStarted(round);
                Thread.sleep(200 + random.nextInt(1_500)); // somewhere in the middle of reading and checkpointing
                app.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no flush, no final commit
            }
            Process app = start(broker.bootstrapServers(), 3);
            try {
                Map<String, String> last = new TreeMap<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (System.nanoTime() < deadline && !last.equals(expected)) {
                    last.clear();
                    for (ConsumerRecord<String, String> r : kafka.read("crash-out", Integer.MAX_VALUE, Duration.ofSeconds(2))) {
                        last.put(r.key(), r.value());
                    }
                }
                assertEquals(expected, last, "final windowed counts after 3 SIGKILLs differ from a run without crashes");
            } finally {
                app.destroyForcibly().waitFor();
            }
        }
    }

    private static void awaitStarted(int round) throws Exception {
        Path log = Path.of("target", "crash-app-" + round + ".log");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!java.nio.file.Files.readString(log).contains("started")) {
            assertTrue(System.nanoTime() < deadline, "the application did not start; see " + log);
            Thread.sleep(20);
        }
    }

    private Process start(String bootstrap, int round) throws Exception {
        File log = Path.of("target", "crash-app-" + round + ".log").toFile();
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.log.io.ringflow=info", "-cp", System.getProperty("java.class.path"),
                CrashApp.class.getName(), bootstrap, state.toString())
                .redirectErrorStream(true)
                .redirectOutput(log)
                .start();
        assertTrue(process.isAlive(), "the application did not start; see " + log);
        return process;
    }
}
