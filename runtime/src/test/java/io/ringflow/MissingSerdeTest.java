package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.error.ErrorHandler;
import io.ringflow.error.FailedRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key or value type RocksDB state has no serde for is a configuration mistake: the pipeline
 * fails at the first record that needs the serde, whatever the error handler, naming the store,
 * the type and the fix; no result is emitted first, and nothing is dead-lettered.
 */
class MissingSerdeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    record Total(long sum) {
    }

    record Account(String id) {
    }

    @TempDir
    Path state;

    private PipelineFailedException failureOf(StreamBuilder builder, CollectingSink<FailedRecord> deadLetters)
            throws InterruptedException {
        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withStateDirectory(state)
                .withErrorHandler(ErrorHandler.deadLetter(deadLetters)))) {
            pipeline.start();
            return assertThrows(PipelineFailedException.class, () -> pipeline.awaitTermination(TIMEOUT));
        }
    }

    @Test
    void aCustomValueTypeWithoutASerdeFailsAtTheFirstRecordNotAtTheCachesFirstWrite() throws Exception {
        CollectingSink<KeyValue<String, Total>> out = new CollectingSink<>();
        CollectingSink<FailedRecord> deadLetters = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("totals");
        builder.source("in", CollectionSource.of(1L, 2L, 3L))
                .keyBy(n -> "all")
                .aggregate(() -> new Total(0), (key, n, total) -> new Total(total.sum() + n), Named.as("totals"))
                .toStream()
                .to(out);
        PipelineFailedException failure = failureOf(builder, deadLetters);
        assertTrue(failure.getMessage().contains("store 'totals': no serde for values of type "
                + Total.class.getName() + "; Ringflow infers serdes only for String, Long, Integer, Double and"
                + " byte[]. Declare one with Materialized.with(keySerde, valueSerde)"), failure.getMessage());
        assertEquals(List.of(), out.values(), "a result was emitted before the state could hold it");
        assertEquals(List.of(), deadLetters.values());
    }

    @Test
    void aCustomKeyTypeWithoutASerdeFailsThePipelineInsteadOfDeadLetteringEveryRecord() throws Exception {
        CollectingSink<KeyValue<Account, Long>> out = new CollectingSink<>();
        CollectingSink<FailedRecord> deadLetters = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("accounts");
        builder.source("in", CollectionSource.of("a", "b", "a"))
                .keyBy(Account::new)
                .count(Named.as("per-account"))
                .toStream()
                .to(out);
        PipelineFailedException failure = failureOf(builder, deadLetters);
        assertTrue(failure.getMessage().contains("store 'per-account': no serde for keys of type "
                + Account.class.getName()), failure.getMessage());
        assertEquals("per-account", failure.failedRecord().orElseThrow().operator());
        assertEquals(List.of(), out.values());
        assertEquals(List.of(), deadLetters.values(), "a configuration mistake was handed over as bad data");
    }
}
