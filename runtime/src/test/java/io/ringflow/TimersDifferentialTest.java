package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.function.Collector;
import io.ringflow.function.KeyedProcessFunction;
import io.ringflow.function.TimeDomain;
import io.ringflow.function.TimerService;
import io.ringflow.function.ValueState;
import io.ringflow.testing.TestInput;
import io.ringflow.testing.TopologyTestDriver;
import io.ringflow.watermark.WatermarkStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random scripts of keys, timestamps (late ones too), timer registrations and deletions
 * in {@code process} and in {@code onTimer}, state updates, and watermark and processing-time
 * advances, run through the test driver and through {@link TimerReferenceModel}: every output,
 * in order, must agree. The seed is printed; {@code -Dtimers.seed=N} replays one.
 */
class TimersDifferentialTest {

    private static final int STEPS = 3_000;
    private static final int KEYS = 15;

    /** Runs each command of "key@time:command,command" against the key's timers and state. */
    static void apply(String command, TimerService timers, ValueState<Long> count) {
        long t = command.length() > 1 ? Long.parseLong(command.substring(1)) : 0;
        switch (command.charAt(0)) {
            case 'e' -> timers.registerEventTimeTimer(t);
            case 'x' -> timers.deleteEventTimeTimer(t);
            case 'p' -> timers.registerProcessingTimeTimer(t);
            case 'q' -> timers.deleteProcessingTimeTimer(t);
            case 's' -> count.update(count.value() == null ? 1 : count.value() + 1);
            default -> throw new IllegalArgumentException(command);
        }
    }

    /** The function under test: commands from the record; on a timer, an output and one of a few reactions. */
    private static final class Scripted implements KeyedProcessFunction<String, String, String> {
        @Override
        public void process(String event, Context<String> ctx, Collector<String> out) {
            String commands = event.substring(event.indexOf(':') + 1);
            for (String command : commands.split(",")) {
                apply(command, ctx.timers(), ctx.state());
            }
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext<String> ctx, Collector<String> out) {
            ValueState<Long> count = ctx.state();
            out.collect(TimerReferenceModel.fired(ctx.key(), ctx.timeDomain(), timestamp,
                    ctx.timers().currentWatermark(), count.value()));
            react(ctx.key(), timestamp, ctx.timeDomain(), ctx.timers(), count);
        }
    }

    /**
     * What {@code onTimer} does after its output: one of a few reactions, chosen by the timer
     * alone, so that the function and the model do the same.
     */
    static void react(String key, long timestamp, TimeDomain domain, TimerService timers, ValueState<Long> count) {
        switch (Math.floorMod((key.hashCode() * 31 + Long.hashCode(timestamp)) * 7 + domain.ordinal(), 10)) {
            case 0 -> timers.registerEventTimeTimer(timestamp + 1 + Math.floorMod(timestamp, 7)); // often due at once
            case 1 -> timers.deleteEventTimeTimer(timestamp + 3);
            case 2 -> timers.registerProcessingTimeTimer(timestamp + 11); // not +10: the same reaction again, forever
            case 3 -> timers.deleteProcessingTimeTimer(timestamp + 5);
            case 4 -> count.update(count.value() == null ? 100 : count.value() + 100);
            case 5 -> count.clear();
            default -> {
            }
        }
    }

    @Test
    void randomScriptsGiveTheReferenceModelsOutputs() {
        long seed = Long.getLong("timers.seed", System.nanoTime());
        System.out.println("TimersDifferentialTest seed " + seed + " (replay with -Dtimers.seed=" + seed + ")");
        Random random = new Random(seed);
        StreamBuilder builder = new StreamBuilder("timers-differential");
        builder.source("events", CollectionSource.of("x@0:s"), WatermarkStrategy.<String>forBoundedOutOfOrderness(
                        Duration.ZERO).withTimestampExtractor((e, t) -> Long.parseLong(e.split("[@:]")[1])))
                .keyBy(e -> e.substring(0, e.indexOf('@')))
                .process(new Scripted(), Named.as("scripted"))
                .to(new CollectingSink<>(), Named.as("out"));
        TimerReferenceModel model = new TimerReferenceModel();
        List<String> expected = new ArrayList<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            TestInput<String> input = driver.input("events");
            for (int step = 0; step < STEPS; step++) {
                int kind = random.nextInt(10);
                if (kind < 7) {
                    String event = randomEvent(random, model);
                    input.pipe(event);
                    expected.addAll(model.record(event));
                } else if (kind < 9) {
                    long to = model.watermark() + random.nextInt(60);
                    driver.advanceWatermark(to);
                    expected.addAll(model.advanceWatermark(to));
                } else {
                    long by = random.nextInt(25);
                    driver.advanceProcessingTime(Duration.ofMillis(by));
                    expected.addAll(model.advanceProcessingTime(by));
                }
                List<String> got = values(driver);
                List<String> want = new ArrayList<>(expected);
                expected.clear();
                assertEquals(want, got, "seed " + seed + " (-Dtimers.seed=" + seed + "), step " + step);
            }
            driver.advanceWatermark(Long.MAX_VALUE);
            driver.advanceProcessingTime(Duration.ofDays(1));
            List<String> rest = new ArrayList<>(model.advanceWatermark(Long.MAX_VALUE));
            rest.addAll(model.advanceProcessingTime(Duration.ofDays(1).toMillis()));
            assertEquals(rest, values(driver), "seed " + seed + ": at the end");
            assertTrue(model.fired() > STEPS / 4, "the script fires timers: " + model.fired());
        }
    }

    private static List<String> values(TopologyTestDriver driver) {
        List<String> out = new ArrayList<>();
        for (KeyValue<String, String> kv : driver.<KeyValue<String, String>>output("out").readValuesToList()) {
            out.add(kv.value());
        }
        return out;
    }

    /**
     * A record for a random key, at a time around the watermark (some late), with one to three
     * commands; a deletion mostly names a timer the key has.
     */
    private static String randomEvent(Random random, TimerReferenceModel model) {
        String key = "k" + random.nextInt(KEYS);
        long time = Math.max(0, Math.max(0, model.watermark()) + random.nextInt(70) - 25);
        StringBuilder event = new StringBuilder(key).append('@').append(time).append(':');
        int commands = 1 + random.nextInt(3);
        for (int i = 0; i < commands; i++) {
            event.append(i > 0 ? "," : "").append(command(random, model, key, time));
        }
        return event.toString();
    }

    private static String command(Random random, TimerReferenceModel model, String key, long time) {
        long now = model.processingTime();
        return switch (random.nextInt(10)) {
            case 0, 1, 2, 3 -> "e" + Math.max(0, time + random.nextInt(80) - 20);
            case 4, 5 -> "x" + existingOr(model.someTimer(key, TimeDomain.EVENT_TIME, random), time + 3);
            case 6 -> "p" + (now + random.nextInt(60));
            case 7 -> "q" + existingOr(model.someTimer(key, TimeDomain.PROCESSING_TIME, random), now + 5);
            default -> "s";
        };
    }

    private static long existingOr(long timer, long otherwise) {
        return timer >= 0 ? timer : otherwise;
    }
}
