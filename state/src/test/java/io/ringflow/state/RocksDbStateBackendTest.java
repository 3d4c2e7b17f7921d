package io.ringflow.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.state.rocksdb.RocksDbStateBackend;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real RocksDB on disk: state survives a close, directories are guarded, errors name the store. */
class RocksDbStateBackendTest {

    private static final long MEMORY = 16L << 20;

    @TempDir
    Path directory;

    @Test
    void everyStoreOfEveryShardReopensExactlyAsItWasClosed() {
        try (RocksDbStateBackend backend = new RocksDbStateBackend(directory, 2, MEMORY, 100)) {
            KeyValueStore<String, Long> counts0 = backend.keyValueStore(0, "counts", Serdes.string(), Serdes.longs());
            KeyValueStore<String, Long> counts1 = backend.keyValueStore(1, "counts", Serdes.string(), Serdes.longs());
            WindowStore<String, Long> windows = backend.windowStore(1, "windows", Serdes.string(), Serdes.longs());
            for (long i = 0; i < 500; i++) {
                counts0.put("k" + i, i);
            }
            counts1.put("only-on-1", 42L);
            windows.put("a", 1_000, 5L);
            windows.put("a", 2_000, 6L);
            counts0.close();
            counts1.close();
            windows.close();
        }
        try (RocksDbStateBackend backend = new RocksDbStateBackend(directory, 2, MEMORY, 0)) {
            KeyValueStore<String, Long> counts0 = backend.keyValueStore(0, "counts", Serdes.string(), Serdes.longs());
            KeyValueStore<String, Long> counts1 = backend.keyValueStore(1, "counts", Serdes.string(), Serdes.longs());
            WindowStore<String, Long> windows = backend.windowStore(1, "windows", Serdes.string(), Serdes.longs());
            assertEquals(500, KeyValueStoreContract.drain(counts0.all()).size());
            assertEquals(499L, counts0.get("k499"));
            assertEquals(null, counts0.get("only-on-1"));
            assertEquals(List.of("only-on-1=42"), KeyValueStoreContract.drain(counts1.all()));
            assertEquals(List.of("1000=5", "2000=6"), WindowStoreContract.drain(windows.fetch("a", 0, 5_000)));
        }
    }

    @Test
    void aStoreMovesWholeFromACheckpointOfAnotherBackendAndIsDroppedWhole() throws Exception {
        Path checkpoint = directory.resolve("chk");
        try (RocksDbStateBackend owner = new RocksDbStateBackend(directory.resolve("owner"), 2, MEMORY, 100)) {
            KeyValueStore<String, Long> moving = owner.keyValueStore(1, "counts#3", Serdes.string(), Serdes.longs());
            KeyValueStore<String, Long> staying = owner.keyValueStore(1, "counts#4", Serdes.string(), Serdes.longs());
            WindowStore<String, Long> windows = owner.windowStore(1, "windows#3", Serdes.string(), Serdes.longs());
            owner.keyValueStore(1, "empty#3", Serdes.string(), Serdes.longs()).close(); // a family without files
            for (long i = 0; i < 25_000; i++) {
                moving.put("k" + i, i);
            }
            staying.put("other", 1L);
            windows.put("a", 1_000, 5L);
            windows.put("b", 2_000, 6L);
            moving.flush();
            staying.flush();
            windows.flush();
            Files.createDirectories(checkpoint);
            owner.checkpoint(checkpoint);
            moving.close();
            staying.close();
            windows.close();
        }
        try (RocksDbStateBackend taker = new RocksDbStateBackend(directory.resolve("taker"), 2, MEMORY, 100)) {
            KeyValueStore<String, Long> stale = taker.keyValueStore(1, "counts#3", Serdes.string(), Serdes.longs());
            stale.put("stale", 1L);
            stale.close();
            taker.importStore(1, "counts#3", checkpoint);
            taker.importStore(1, "windows#3", checkpoint);
            taker.importStore(1, "empty#3", checkpoint);
            taker.importStore(0, "counts#3", checkpoint); // shard 0 of the checkpoint held nothing
            assertEquals(Set.of("counts#3", "empty#3", "windows#3", "windows#3.by-start"), taker.storeNames(1));
            KeyValueStore<String, Long> movedEmpty = taker.keyValueStore(1, "empty#3", Serdes.string(), Serdes.longs());
            assertEquals(List.of(), KeyValueStoreContract.drain(movedEmpty.all()));
            movedEmpty.close();
            KeyValueStore<String, Long> moved = taker.keyValueStore(1, "counts#3", Serdes.string(), Serdes.longs());
            assertEquals(25_000, KeyValueStoreContract.drain(moved.all()).size(), "the stale entry is gone too");
            assertEquals(24_999L, moved.get("k24999"));
            WindowStore<String, Long> windows = taker.windowStore(1, "windows#3", Serdes.string(), Serdes.longs());
            assertEquals(List.of("a@1000=5", "b@2000=6"), WindowStoreContract.drainAll(windows.fetchAll(0, 5_000)));
            moved.close();
            windows.close();

            taker.dropStore(1, "windows#3");
            assertEquals(Set.of("counts#3", "empty#3"), taker.storeNames(1));
            WindowStore<String, Long> empty = taker.windowStore(1, "windows#3", Serdes.string(), Serdes.longs());
            assertEquals(List.of(), WindowStoreContract.drainAll(empty.fetchAll(0, 5_000)));
            empty.close();
        }
    }

    /** Timers reopen as closed (buffered changes written by the close), and move with the store they belong to. */
    @Test
    void timersReopenAsClosedAndMoveAndDropWithTheirStore() throws Exception {
        Path checkpoint = directory.resolve("chk");
        try (RocksDbStateBackend owner = new RocksDbStateBackend(directory.resolve("owner"), 1, MEMORY, 100)) {
            owner.keyValueStore(0, "process#3", Serdes.string(), Serdes.longs()).close();
            TimerStore<String> timers = owner.timerStore(0, "process#3.event-timers", Serdes.string());
            timers.add(20, "b");
            timers.add(10, "a");
            timers.add(30, "gone");
            timers.remove(30, "gone");
            timers.flush();
            Files.createDirectories(checkpoint);
            owner.checkpoint(checkpoint);
            timers.add(40, "after the checkpoint");
            timers.close();
        }
        try (RocksDbStateBackend owner = new RocksDbStateBackend(directory.resolve("owner"), 1, MEMORY, 100)) {
            TimerStore<String> timers = owner.timerStore(0, "process#3.event-timers", Serdes.string());
            assertEquals(10, timers.earliestTime());
            timers.add(20, "b");    // there already: the removal must reach the table, though
            timers.remove(20, "b"); // the add and the removal meet in the buffer
            assertEquals(List.of("a@10", "after the checkpoint@40"), pollAll(timers));
            timers.close();
        }
        try (RocksDbStateBackend taker = new RocksDbStateBackend(directory.resolve("taker"), 1, MEMORY, 100)) {
            taker.importStore(0, "process#3", checkpoint);
            assertEquals(Set.of("process#3", "process#3.event-timers"), taker.storeNames(0));
            TimerStore<String> timers = taker.timerStore(0, "process#3.event-timers", Serdes.string());
            assertEquals(List.of("a@10", "b@20"), pollAll(timers));
            timers.close();
            taker.dropStore(0, "process#3");
            assertEquals(Set.of(), taker.storeNames(0));
        }
    }

    private static List<String> pollAll(TimerStore<String> timers) {
        List<String> out = new java.util.ArrayList<>();
        timers.pollUpTo(Long.MAX_VALUE, (time, key) -> out.add(key + "@" + time));
        return out;
    }

    @Test
    void reopeningWithAnotherParallelismIsRefusedWithTheFix() {
        new RocksDbStateBackend(directory, 2, MEMORY, 0).close();
        StateException e = assertThrows(StateException.class, () -> new RocksDbStateBackend(directory, 3, MEMORY, 0));
        assertEquals("state directory " + directory + " was written with parallelism 2, and this pipeline has"
                + " parallelism 3; keys would be on the wrong shards. Run with parallelism 2, or use a new state"
                + " directory", e.getMessage());
    }

    @Test
    void aSecondOpenerInThisProcessIsRefusedWhenItOpensNotAtFirstUse() {
        try (RocksDbStateBackend first = new RocksDbStateBackend(directory, 1, MEMORY, 0)) {
            first.keyValueStore(0, "counts", Serdes.string(), Serdes.longs()).put("a", 1L);
            StateException e = assertThrows(StateException.class, () -> new RocksDbStateBackend(directory, 1, MEMORY, 0));
            assertTrue(e.getMessage().startsWith("state directory " + directory.resolve("shard-0")
                    + " is in use by another pipeline or process"), e.getMessage());
            assertEquals(1L, first.keyValueStore(0, "counts", Serdes.string(), Serdes.longs()).get("a"));
        }
    }

    @Test
    void aSecondProcessGetsAClearErrorAndTheStateIsIntact() throws Exception {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StateHolder.class.getName(), directory.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("open", out.readLine(), "the holder process did not open the state");
            StateException e = assertThrows(StateException.class, () -> new RocksDbStateBackend(directory, 1, MEMORY, 0));
            assertTrue(e.getMessage().contains("is in use by another pipeline or process (it holds the directory's lock)"),
                    e.getMessage());
            try (OutputStream in = holder.getOutputStream()) {
                in.write('\n');
            }
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS), "the holder process did not exit");
            assertEquals(0, holder.exitValue());
        } finally {
            holder.destroyForcibly();
        }
        try (RocksDbStateBackend backend = new RocksDbStateBackend(directory, 1, MEMORY, 0)) {
            assertEquals(7L, backend.keyValueStore(0, "counts", Serdes.string(), Serdes.longs()).get("held"));
        }
    }

    @Test
    void aValueThatCannotBeSerializedNamesTheStoreAndTheType() {
        Serde<String> failing = Serdes.of("Trade", (value, out) -> {
            throw new IOException("no room");
        }, in -> in.readUTF());
        try (RocksDbStateBackend backend = new RocksDbStateBackend(directory, 1, MEMORY, 0)) {
            KeyValueStore<String, String> store = backend.keyValueStore(0, "trades", Serdes.string(), failing);
            StateException e = assertThrows(StateException.class, () -> store.put("t1", "x"));
            assertEquals("store 'trades': cannot serialize value of type Trade (String): java.io.IOException: no room",
                    e.getMessage());
        }
    }

    @Test
    void bytesWrittenWithAnotherSerdeFailToReadWithTheStoreNamed() {
        try (RocksDbStateBackend backend = new RocksDbStateBackend(directory, 1, MEMORY, 0)) {
            backend.keyValueStore(0, "prices", Serdes.string(), Serdes.string()).put("AAPL", "high");
            KeyValueStore<String, Long> asLongs = backend.keyValueStore(0, "prices", Serdes.string(), Serdes.longs());
            StateException e = assertThrows(StateException.class, () -> asLongs.get("AAPL"));
            assertEquals("store 'prices': cannot deserialize value of type Long from 4 bytes: a Long is 8 bytes, got 4;"
                    + " was the state written with another serde?", e.getMessage());
        }
    }

    @Test
    void inferredSerdesRefuseUnknownTypesAndSayHowToDeclareOne() {
        try (RocksDbStateBackend backend = new RocksDbStateBackend(directory, 1, MEMORY, 0)) {
            KeyValueStore<String, Object> store = backend.keyValueStore(0, "vwap",
                    new InferredSerde<>("vwap", "key"), new InferredSerde<>("vwap", "value"));
            StateException e = assertThrows(StateException.class, () -> store.put("AAPL", new StringBuilder("x")));
            assertEquals("store 'vwap': no serde for values of type java.lang.StringBuilder; Ringflow infers serdes"
                    + " only for String, Long, Integer, Double and byte[]. Declare one with"
                    + " Materialized.with(keySerde, valueSerde), for example built with Serdes.of(...)", e.getMessage());
        }
    }

    @Test
    void composedSerdeRoundTripsARecordType() {
        record Trade(String symbol, double price, long quantity) {
        }
        Serde<Trade> trades = Serdes.of("Trade",
                (t, out) -> {
                    out.writeUTF(t.symbol());
                    out.writeDouble(t.price());
                    out.writeLong(t.quantity());
                },
                in -> new Trade(in.readUTF(), in.readDouble(), in.readLong()));
        Trade trade = new Trade("MSFT", 412.5, 300);
        assertEquals(trade, trades.deserialize(trades.serialize(trade)));
    }

    /** Holds shard 0 of a state directory open until a line arrives on stdin: a second process for the lock test. */
    public static final class StateHolder {
        public static void main(String[] args) throws Exception {
            try (RocksDbStateBackend backend = new RocksDbStateBackend(Path.of(args[0]), 1, MEMORY, 0)) {
                KeyValueStore<String, Long> store = backend.keyValueStore(0, "counts", Serdes.string(), Serdes.longs());
                store.put("held", 7L);
                System.out.println("open");
                System.out.flush();
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                store.close();
            }
        }
    }
}
