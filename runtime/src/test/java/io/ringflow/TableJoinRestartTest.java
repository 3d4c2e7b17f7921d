package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A table is state: a pipeline checkpointed in the middle of a join, which then changes the table
 * and emits more before it crashes, restarts from the checkpoint and gives, in a sink that commits
 * with checkpoints, exactly the output of a run that never stopped: no result lost, none twice, and
 * the final probes of every key show the table's state exactly, a value set only before the
 * checkpoint and a delete made before it included.
 */
class TableJoinRestartTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    private static PipelineConfig config(Path state, int parallelism) {
        return PipelineConfig.defaults().withParallelism(parallelism).withStateDirectory(state)
                .withCheckpointing(Duration.ZERO);
    }

    /** The book with a key priced only at the start ("kept") and one deleted before the checkpoint ("gone"). */
    private static List<String> book() {
        List<String> records = new ArrayList<>(List.of("P,kept,0,77", "P,gone,0,5", "T,gone,1,1", "P,gone,2,-"));
        records.addAll(PriceBook.records(4_000, 30, 11));
        records.add("T,kept,9000,probe");
        records.add("T,gone,9000,probe");
        return records;
    }

    private static Pipeline bookPipeline(Path state, Source<String> source, Sink<KeyValue<String, String>> sink,
                                         int parallelism) {
        StreamBuilder builder = new StreamBuilder("book");
        PriceBook.join(builder.source("book", source, PriceBook.eventTime()), true, sink);
        return new Pipeline(builder.build(), config(state, parallelism));
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void aStreamTableJoinRestartedFromACheckpointGivesTheOutputOfARunWithoutIt(int parallelism) throws Exception {
        List<String> records = book();
        Map<String, List<String>> expected = PriceBook.expected(records, true);
        assertEquals(List.of("probe@77"), expected.get("kept"), "the model: kept's price was set once, at the start");
        assertEquals(List.of("1@5", "probe@null"), expected.get("gone"), "the model: gone was deleted at the start");
        TransactionLog<KeyValue<String, String>, KeyValue<String, String>> reference = TransactionLog.ofValues();
        try (Pipeline pipeline = bookPipeline(directory.resolve("reference"),
                new ScriptedSource(records, records.size(), true), reference, parallelism)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(expected, PriceBook.byKey(reference.values()), "the uninterrupted run");

        TransactionLog<KeyValue<String, String>, KeyValue<String, String>> log = TransactionLog.ofValues();
        Path state = directory.resolve("restarted");
        ScriptedSource first = new ScriptedSource(records, 1_500, false);
        try (Pipeline pipeline = bookPipeline(state, first, log, parallelism)) {
            pipeline.start();
            awaitTrue(() -> first.next.get() == 1_500);
            assertEquals(1, pipeline.checkpoint(TIMEOUT));
            first.limit.set(3_000); // the table changes and trades join after the checkpoint: the restart rolls it back
            awaitTrue(() -> first.next.get() == 3_000);
            Thread.sleep(50);
            first.crash.set(true);
            assertThrows(PipelineFailedException.class, () -> pipeline.awaitTermination(TIMEOUT));
        }
        assertTrue(!log.values().isEmpty(), "checkpoint 1 committed results");
        ScriptedSource second = new ScriptedSource(records, records.size(), true);
        try (Pipeline pipeline = bookPipeline(state, second, log, parallelism)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(1_500, second.resumedAt.get(), "resumed at the checkpoint");
        assertEquals(expected, PriceBook.byKey(log.values()), "a result lost or emitted twice across the restart");
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void aGlobalTableRestoredFromACheckpointServesTheOrdersAfterTheRestart(int parallelism) throws Exception {
        List<String> rates = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            rates.add("C" + c + "," + c + ",r" + c);
        }
        rates.add("C9,10,-");
        List<String> orders = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            orders.add("o" + i + ",C" + (i % 10));
            expected.add("o" + i + ",C" + (i % 10) + "@" + (i % 10 == 9 ? null : "r" + (i % 10)));
        }
        TransactionLog<String, String> log = TransactionLog.ofValues();
        Path state = directory.resolve("global");
        CountDownLatch loaded = new CountDownLatch(rates.size() * parallelism);
        ScriptedSource rateSource = new ScriptedSource(rates, rates.size(), false);
        ScriptedSource first = new ScriptedSource(orders, 1_000, false);
        try (Pipeline pipeline = new Pipeline(fx(rateSource, new GatedSource<>(first, loaded), loaded, log),
                config(state, parallelism))) {
            pipeline.start();
            awaitTrue(() -> first.next.get() == 1_000);
            assertEquals(1, pipeline.checkpoint(TIMEOUT));
            first.limit.set(2_000);
            awaitTrue(() -> first.next.get() == 2_000);
            Thread.sleep(50);
            first.crash.set(true);
            rateSource.crash.set(true);
            assertThrows(PipelineFailedException.class, () -> pipeline.awaitTermination(TIMEOUT));
        }
        ScriptedSource restartedRates = new ScriptedSource(rates, rates.size(), true);
        ScriptedSource second = new ScriptedSource(orders, orders.size(), true);
        try (Pipeline pipeline = new Pipeline(fx(restartedRates, second, new CountDownLatch(0), log),
                config(state, parallelism))) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(rates.size(), restartedRates.resumedAt.get(), "the table's source had nothing left to send");
        assertEquals(1_000, second.resumedAt.get(), "the orders resumed at the checkpoint");
        assertEquals(expected.stream().sorted().toList(), log.values().stream().sorted().toList());
    }

    /** Orders left-joined with a global table of rates; the rates' value mapper counts {@code loaded} down. */
    private static Topology fx(Source<String> rates, Source<String> orders, CountDownLatch loaded,
                               Sink<String> sink) {
        StreamBuilder builder = new StreamBuilder("fx");
        GlobalTable<String, String> table = builder.globalTable("rates", rates, StreamTableJoinTest::key, rate -> {
            loaded.countDown();
            return StreamTableJoinTest.price(rate);
        });
        builder.source("orders", orders)
                .leftJoin(table, order -> order.split(",")[1], (order, rate) -> order + "@" + rate, Named.as("convert"))
                .to(sink, Named.as("converted"));
        return builder.build();
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(5);
        }
    }
}
