package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.state.KeyValueIterator;
import io.ringflow.state.KeyValueStore;
import io.ringflow.state.Serdes;
import io.ringflow.state.TimerStore;
import io.ringflow.state.rocksdb.RocksDbStateBackend;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Named state is state: a pipeline checkpointed with live map, list and TTL state, which then
 * changes more of it before it crashes, restarts from the checkpoint and gives, in a sink that
 * commits with checkpoints, each key exactly the outputs of a run that never stopped. And the
 * cleanup timers come back too: a restarted run whose function never declares its states again
 * still deletes every expired entry.
 */
class NamedStateRestartTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> COMMANDS = StateReferenceModel.commands(11, 4_000, 12);

    @TempDir
    Path directory;

    /**
     * Emits {@code commands} from its restored position; once {@code limit} are out it waits (for
     * a higher limit), and throws when {@code crash} is set; after the last one it ends, unless
     * {@code holdOpen}: then it waits for the crash, so the input never ends (which would expire
     * every event-time entry).
     */
    private static Source<String> commands(List<String> commands, AtomicInteger limit, AtomicInteger next,
                                           AtomicBoolean crash, AtomicInteger resumedAt, boolean holdOpen) {
        return context -> {
            next.set(context.restoredPosition().map(b -> ByteBuffer.wrap(b).getInt()).orElse(0));
            resumedAt.set(next.get());
            context.positionForCheckpoints(id -> ByteBuffer.allocate(4).putInt(next.get()).array());
            while (context.isRunning() && (holdOpen || next.get() < commands.size())) {
                if (next.get() < limit.get() && next.get() < commands.size()) {
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

    /** A run that starts from the state's last checkpoint and runs to the end of {@code commands}. */
    private static Pipeline restarted(Path state, List<String> commands, TransactionLog<KeyValue<String, String>, KeyValue<String, String>> log, int parallelism,
                                      AtomicInteger resumedAt) {
        return pipeline(state, commands(commands, new AtomicInteger(commands.size()), new AtomicInteger(),
                new AtomicBoolean(), resumedAt, false), log, parallelism);
    }

    private static Pipeline pipeline(Path state, Source<String> source, TransactionLog<KeyValue<String, String>, KeyValue<String, String>> sink, int parallelism) {
        return new Pipeline(NamedStatePipelineTest.topology(source, sink), PipelineConfig.defaults()
                .withParallelism(parallelism).withStateDirectory(state).withCheckpointing(Duration.ZERO));
    }

    /** Runs until {@code next} reaches {@code checkpointAt}, checkpoints, goes on to {@code crashAt}, crashes. */
    private static void runAndCrash(Path state, List<String> commands, TransactionLog<KeyValue<String, String>, KeyValue<String, String>> log, int parallelism,
                                    int checkpointAt, int crashAt) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean crash = new AtomicBoolean();
        AtomicInteger limit = new AtomicInteger(checkpointAt);
        try (Pipeline pipeline = pipeline(state, commands(commands, limit, next, crash, new AtomicInteger(), true),
                log, parallelism)) {
            pipeline.start();
            awaitTrue(() -> next.get() == checkpointAt);
            assertEquals(1, pipeline.checkpoint(TIMEOUT));
            limit.set(crashAt); // after the checkpoint, state changes and entries expire: the restart rolls it back
            awaitTrue(() -> next.get() == crashAt);
            Thread.sleep(50); // let the keyed shards process what was emitted
            crash.set(true); // a failed pipeline takes no final checkpoint
            assertThrows(PipelineFailedException.class, () -> pipeline.awaitTermination(TIMEOUT));
        }
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void aRestartFromACheckpointWithLiveMapListAndTtlStateGivesTheOutputsOfARunWithoutIt(int parallelism)
            throws Exception {
        TransactionLog<KeyValue<String, String>, KeyValue<String, String>> log = TransactionLog.ofValues();
        Path state = directory.resolve("state");
        runAndCrash(state, COMMANDS, log, parallelism, 1_500, 3_000);
        int committedBeforeCrash = log.committed.size();
        assertTrue(committedBeforeCrash > 100, "checkpoint 1 committed outputs");

        AtomicInteger resumedAt = new AtomicInteger();
        try (Pipeline pipeline = restarted(state, COMMANDS, log, parallelism, resumedAt)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(1_500, resumedAt.get(), "resumed at the checkpoint");
        assertEquals(NamedStatePipelineTest.driverOutputs(COMMANDS), NamedStatePipelineTest.byKey(log.committed),
                "an output lost, repeated or changed across the restart");
        assertNotEquals(NamedStatePipelineTest.driverOutputs(COMMANDS.subList(1_500, COMMANDS.size())),
                NamedStatePipelineTest.byKey(log.committed.subList(committedBeforeCrash, log.committed.size())),
                "the restarted run gave what an empty state gives: the test proves nothing");
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void restoredCleanupTimersDeleteExpiredEntriesOfStatesTheRestartedRunNeverDeclares(int parallelism)
            throws Exception {
        List<String> writes = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            writes.add("k" + i + "@" + i + ":" + new String[] {"tm.put=a=1", "tl.add=x", "tv.set=1"}[i % 3]);
        }
        Path state = directory.resolve("state");
        TransactionLog<KeyValue<String, String>, KeyValue<String, String>> log = TransactionLog.ofValues(); // its last commit is the checkpoint the restart resumes from
        runAndCrash(state, writes, log, parallelism, 1_000, 1_000);
        AtomicInteger resumedAt = new AtomicInteger();
        try (Pipeline pipeline = restarted(state, writes, log, parallelism, resumedAt)) {
            pipeline.start(); // restored at the end of the input: no record declares a state; the input ends
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(1_000, resumedAt.get(), "resumed at the end of the input");
        try (RocksDbStateBackend backend = new RocksDbStateBackend(state, parallelism, 16L << 20, 0)) {
            for (int shard = 0; shard < parallelism; shard++) {
                for (String store : List.of("process.map.tm", "process.list.tl", "process.value.tv")) {
                    assertTrue(backend.storeNames(shard).contains(store), backend.storeNames(shard).toString());
                    assertEquals(0, count(backend, shard, store), store + " on shard " + shard);
                    TimerStore<byte[]> timers = backend.timerStore(shard, store + ".ttl-event", Serdes.byteArray());
                    assertEquals(Long.MAX_VALUE, timers.earliestTime(), store + " kept a cleanup timer");
                    timers.close();
                }
            }
        }
    }

    private static long count(RocksDbStateBackend state, int shard, String name) {
        long entries = 0;
        try (KeyValueStore<byte[], byte[]> store = state.keyValueStore(shard, name, Serdes.byteArray(),
                Serdes.byteArray()); KeyValueIterator<byte[], byte[]> all = store.all()) {
            while (all.hasNext()) {
                all.next();
                entries++;
            }
        }
        return entries;
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(5);
        }
    }
}
