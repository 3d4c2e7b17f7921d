package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringflow.testing.TestInput;
import io.ringflow.testing.TopologyTestDriver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Seeded random commands on map, list and value state, with and without an event-time TTL,
 * through the test driver against {@link StateReferenceModel}: every output, in order, and at
 * the end the exact number of entries each store holds (none for TTL state once the watermark
 * ends). A failure prints its seed; {@code -Dstate.seed=N} replays that one alone.
 */
class NamedStateDifferentialTest {

    private static final int ROUNDS = 20;

    @Test
    void randomCommandsGiveTheReferenceModelsOutputsAndStoreContents() {
        String replay = System.getProperty("state.seed");
        long first = replay != null ? Long.parseLong(replay) : System.nanoTime();
        int rounds = replay != null ? 1 : ROUNDS;
        for (int round = 0; round < rounds; round++) {
            long seed = first + round;
            try {
                runOnce(seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + " (replay with -Dstate.seed=" + seed + "): "
                        + e.getMessage(), e);
            }
        }
    }

    private static void runOnce(long seed) {
        List<String> commands = StateReferenceModel.commands(seed, 2_000, 4);
        StateReferenceModel model = new StateReferenceModel();
        List<String> expected = new ArrayList<>();
        for (String command : commands) {
            String out = model.apply(command);
            if (out != null) {
                expected.add(StateCommands.key(command) + ":" + out + "@" + StateCommands.time(command));
            }
        }
        try (TopologyTestDriver driver = new TopologyTestDriver(NamedStateTest.topology(new StateCommands()))) {
            TestInput<String> input = driver.input("events");
            for (String command : commands) {
                input.pipe(command);
            }
            assertEquals(expected, NamedStateTest.outputs(driver));
            for (String state : List.of("map.m", "list.l", "value.v")) {
                assertEquals(model.stored(state.substring(state.indexOf('.') + 1)),
                        driver.storedEntries("process." + state), state);
            }
            driver.advanceWatermark(Long.MAX_VALUE);
            for (String state : List.of("map.tm", "list.tl", "value.tv")) {
                assertEquals(0, driver.storedEntries("process." + state), state);
                assertEquals(0, driver.storedEntries("process." + state + ".ttl-event"), state);
            }
        }
    }
}
