package io.ringflow.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One run of one {@link ChaosApp} instance in a child JVM: its process and its log. */
final class Child {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern CHECKPOINT = Pattern.compile("checkpoint (\\d+) complete");
    private static final Pattern RESTORED = Pattern.compile("restored checkpoint (\\d+)");

    final String id;
    final String name;
    private final Process process;
    private final Path log;
    private final long seed;
    /** The test's history of runs, for a failure message. */
    private final List<String> history;

    private Child(String id, String name, Process process, Path log, long seed, List<String> history) {
        this.id = id;
        this.name = name;
        this.process = process;
        this.log = log;
        this.seed = seed;
        this.history = history;
    }

    /**
     * Starts run {@code run} of instance {@code id}, logging to {@code target/chaos-<mode>-<id>-<run>.log};
     * {@code shared}: the checkpoint directory it shares with other instances, or null for a single one.
     */
    static Child start(String id, int run, String mode, String bootstrap, Path state, Path shared, long seed,
            List<String> history) throws IOException {
        String name = id + "#" + run;
        Path log = Path.of("target", "chaos-" + mode + "-" + id + "-" + run + ".log");
        List<String> command = ChildJava.command(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dorg.slf4j.simpleLogger.log.io.ringflow=info"), ChaosApp.class.getName(), bootstrap, state.toString(), mode);
        if (shared != null) {
            command.add(shared.toString());
            command.add(id);
        }
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new Child(id, name, process, log, seed, history);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Ends the process if it still runs, without waiting: for cleaning up after a test. */
    void destroy() {
        process.destroyForcibly();
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

    /** Waits until the source's latest assignment, as its reader logs it ("now reads [...]"), holds {@code partitions}. */
    void awaitReading(int partitions) throws InterruptedException {
        Pattern assignment = Pattern.compile("now reads \\[([^]]*)\\]");
        awaitLog(() -> {
            Matcher m = assignment.matcher(log());
            String last = null;
            while (m.find()) {
                last = m.group(1);
            }
            return last != null && last.split(",").length == partitions ? 0 : -1;
        }, "that it reads all " + partitions + " partitions");
    }

    /** Waits for a completed checkpoint in the log after character {@code from}; returns where its line ends. */
    int awaitCheckpoint(int from) throws InterruptedException {
        return awaitLog(() -> {
            Matcher m = CHECKPOINT.matcher(log());
            return m.find(from) ? m.end() : -1;
        }, "a completed checkpoint");
    }

    private int awaitLog(IntSupplier found, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            int at = found.getAsInt();
            if (at >= 0) {
                return at;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("seed " + seed + ": " + name + (process.isAlive() ? " did not log "
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
        return ids.isEmpty() ? "none" : ChaosVerdict.runs(ids);
    }

    /** SIGKILL: no shutdown hook, no flush, no final checkpoint. */
    void kill() throws InterruptedException {
        assertTrue(process.isAlive(), () -> "seed " + seed + ": " + name + " died on its own; " + log
                + " ends:\n" + tail());
        process.destroyForcibly().waitFor();
    }

    /** Asks it to stop cleanly ("stop" on its standard input) and waits until it has. */
    void stop() throws Exception {
        try (OutputStream in = process.getOutputStream()) {
            in.write("stop\n".getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS),
                () -> "seed " + seed + ": " + name + " did not stop within " + TIMEOUT + "; " + log + " ends:\n"
                        + tail());
        assertTrue(log().contains("stopped "), () -> "seed " + seed + ": "
                + name + " ended without stopping; " + log + " ends:\n" + tail());
    }
}
