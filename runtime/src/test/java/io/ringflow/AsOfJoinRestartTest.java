package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The waiting trades and the quotes' history are state: a pipeline checkpointed while trades
 * wait for a slower quote input, which then releases and expires more before it crashes,
 * restarts from the checkpoint and gives, in a sink that commits with checkpoints, exactly the
 * results of a run that never stopped: none lost, none twice.
 */
class AsOfJoinRestartTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int COUNT = 3_000;

    @TempDir
    Path directory;

    /** Records of 20 keys about 2 ms apart, out of order by up to 10 ms; quotes include tombstones. */
    private static List<String> records(long seed, boolean quotes) {
        Random random = new Random(seed);
        List<String> records = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            String amount = quotes && random.nextInt(10) == 0 ? "-" : String.valueOf(random.nextInt(1000));
            records.add("k" + random.nextInt(20) + "," + Math.max(0, 2L * i - random.nextInt(10)) + "," + amount);
        }
        return records;
    }

    private static Pipeline pipeline(Path state, ListSource trades, ListSource quotes, TransactionLog<KeyValue<String, String>, String> sink,
                                     int parallelism) {
        StreamBuilder builder = new StreamBuilder("as-of-restart");
        AsOfFixtures.pricedTrades(builder, trades, quotes, 10, Duration.ofMillis(200), true, sink);
        return new Pipeline(builder.build(), PipelineConfig.defaults().withParallelism(parallelism)
                .withStateDirectory(state).withCheckpointing(Duration.ZERO));
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void aRestartFromACheckpointWithTradesWaitingGivesTheResultsOfARunWithoutIt(int parallelism) throws Exception {
        List<String> trades = records(1, false);
        List<String> quotes = records(2, true);
        TransactionLog<KeyValue<String, String>, String> reference = log();
        try (Pipeline pipeline = pipeline(directory.resolve("reference"), new ListSource(trades, COUNT),
                new ListSource(quotes, COUNT), reference, parallelism)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(COUNT, reference.committed.size(), "a left join: one result per trade");

        TransactionLog<KeyValue<String, String>, String> log = log();
        Path state = directory.resolve("restarted");
        ListSource tradesBefore = new ListSource(trades, 2_000);
        ListSource quotesBefore = new ListSource(quotes, 500);
        try (Pipeline pipeline = pipeline(state, tradesBefore, quotesBefore, log, parallelism)) {
            pipeline.start();
            awaitTrue(() -> tradesBefore.next.get() == 2_000 && quotesBefore.next.get() == 500);
            assertEquals(1, pipeline.checkpoint(TIMEOUT));
            // Trades up to about 4000 ms wait for quotes past 1000 ms. After the checkpoint some
            // leave and history expires: the restart must roll all of it back.
            quotesBefore.limit.set(1_500);
            awaitTrue(() -> quotesBefore.next.get() == 1_500);
            Thread.sleep(50); // let the join release what those quotes make due
            quotesBefore.crash.set(true);
            assertThrows(PipelineFailedException.class, () -> pipeline.awaitTermination(TIMEOUT));
        }
        int committedBeforeCrash = log.committed.size();
        assertTrue(committedBeforeCrash > 0 && committedBeforeCrash < 1_000,
                committedBeforeCrash + " results at checkpoint 1: trades must have been waiting in it");

        ListSource tradesAfter = new ListSource(trades, COUNT);
        ListSource quotesAfter = new ListSource(quotes, COUNT);
        try (Pipeline pipeline = pipeline(state, tradesAfter, quotesAfter, log, parallelism)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(2_000, tradesAfter.resumedAt.get(), "resumed at the checkpoint");
        assertEquals(500, quotesAfter.resumedAt.get(), "resumed at the checkpoint");
        assertEquals(reference.sorted(), log.sorted(), "a result lost or given twice across the restart");
    }

    private static TransactionLog<KeyValue<String, String>, String> log() {
        return TransactionLog.formatted((result, t) -> result.key() + " " + result.value() + " t=" + t);
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(5);
        }
    }
}
