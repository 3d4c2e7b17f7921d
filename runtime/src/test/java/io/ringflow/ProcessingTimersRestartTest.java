package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.function.Collector;
import io.ringflow.function.KeyedProcessFunction;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Processing-time timers are state too: those pending at a checkpoint fire after a crash and
 * restart, each once, when the wall clock passes them, with no new record; those deleted before
 * the checkpoint, and those registered after it (rolled back with the crash), never fire.
 */
class ProcessingTimersRestartTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Far enough ahead that no timer comes due before the first run has crashed. */
    private static final long DELAY_MILLIS = 4_000;

    @TempDir
    Path directory;

    /** "k,register" sets the key's one timer DELAY_MILLIS ahead; "k,delete" deletes it. */
    private static final class Reminder implements KeyedProcessFunction<String, String, String> {
        @Override
        public void process(String command, Context<String> ctx, Collector<String> out) {
            if (command.endsWith(",register")) {
                long due = ctx.timers().currentProcessingTime() + DELAY_MILLIS;
                ctx.<Long>state().update(due);
                ctx.timers().registerProcessingTimeTimer(due);
            } else {
                ctx.timers().deleteProcessingTimeTimer(ctx.<Long>state().value());
            }
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext<String> ctx, Collector<String> out) {
            boolean onTime = timestamp == ctx.<Long>state().value() && ctx.timers().currentProcessingTime() >= timestamp;
            out.collect(ctx.key() + (onTime ? "" : " fired wrongly at " + ctx.timers().currentProcessingTime()));
        }
    }

    /** Emits {@code commands} from its restored position up to {@code limit}, then waits, or throws once {@code crash} is set. */
    private static Source<String> commands(List<String> commands, AtomicInteger limit, AtomicInteger next,
                                           AtomicBoolean crash) {
        return context -> {
            next.set(context.restoredPosition().map(b -> ByteBuffer.wrap(b).getInt()).orElse(0));
            context.positionForCheckpoints(id -> ByteBuffer.allocate(4).putInt(next.get()).array());
            while (context.isRunning()) {
                if (next.get() < Math.min(limit.get(), commands.size())) {
                    context.emit(commands.get(next.get()));
                    next.incrementAndGet();
                } else if (crash.get()) {
                    throw new IllegalStateException("crash");
                } else {
                    Thread.sleep(1);
                }
            }
        };
    }

    private static Pipeline pipeline(Path state, Source<String> source, CollectingSink<KeyValue<String, String>> sink,
                                     int parallelism) {
        StreamBuilder builder = new StreamBuilder("reminders");
        builder.source("commands", source)
                .keyBy(command -> command.substring(0, command.indexOf(',')))
                .process(new Reminder(), Named.as("remind"))
                .to(sink, Named.as("reminders"));
        return new Pipeline(builder.build(), PipelineConfig.defaults().withParallelism(parallelism)
                .withStateDirectory(state).withCheckpointing(Duration.ZERO));
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void pendingProcessingTimeTimersFireOnceAfterARestartAndOnlyThose(int parallelism) throws Exception {
        List<String> commands = new ArrayList<>();
        for (int k = 0; k < 100; k++) {
            commands.add("k" + k + ",register");
        }
        for (int k = 0; k < 10; k++) {
            commands.add("k" + k + ",delete"); // before the checkpoint: never fire
        }
        int checkpointed = commands.size();
        for (int k = 100; k < 150; k++) {
            commands.add("k" + k + ",register"); // after it: rolled back by the crash
        }
        long started = System.currentTimeMillis();
        CollectingSink<KeyValue<String, String>> firstRun = new CollectingSink<>();
        Path state = directory.resolve("state");
        AtomicInteger next = new AtomicInteger();
        AtomicInteger limit = new AtomicInteger(checkpointed);
        AtomicBoolean crash = new AtomicBoolean();
        try (Pipeline pipeline = pipeline(state, commands(commands, limit, next, crash), firstRun, parallelism)) {
            pipeline.start();
            awaitTrue(() -> next.get() == checkpointed);
            assertEquals(1, pipeline.checkpoint(TIMEOUT));
            limit.set(commands.size());
            awaitTrue(() -> next.get() == commands.size());
            crash.set(true);
            assertThrows(PipelineFailedException.class, () -> pipeline.awaitTermination(TIMEOUT));
        }
        assertTrue(System.currentTimeMillis() - started < DELAY_MILLIS,
                "the first run took longer than the timers' delay, so it proves nothing; raise DELAY_MILLIS");
        assertEquals(List.of(), firstRun.values(), "no timer was due in the first run");

        CollectingSink<KeyValue<String, String>> restarted = new CollectingSink<>();
        AtomicInteger resumedAt = new AtomicInteger(-1);
        try (Pipeline pipeline = pipeline(state, commands(commands.subList(0, checkpointed), new AtomicInteger(checkpointed),
                resumedAt, new AtomicBoolean()), restarted, parallelism)) {
            pipeline.start();
            assertTrue(restarted.awaitSize(90, TIMEOUT), "the restored timers fired: " + restarted.size());
            Thread.sleep(DELAY_MILLIS / 4); // a timer fired twice, or a rolled-back one, would show by now
            pipeline.stop();
        }
        assertEquals(checkpointed, resumedAt.get(), "resumed at the checkpoint");
        TreeSet<String> expected = new TreeSet<>();
        for (int k = 10; k < 100; k++) {
            expected.add("k" + k);
        }
        List<String> fired = restarted.values().stream().map(KeyValue::value).sorted().toList();
        assertEquals(List.copyOf(expected), fired, "each pending timer once, on time; no deleted or rolled-back one");
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(5);
        }
    }
}
