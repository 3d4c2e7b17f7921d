package io.ringflow.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.KeyValue;
import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.PipelineFailedException;
import io.ringflow.StreamBuilder;
import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.connectors.console.ConsoleSink;
import io.ringflow.connectors.file.FileSource;
import io.ringflow.connectors.rate.RateSource;
import io.ringflow.connectors.socket.SocketSource;
import io.ringflow.error.ErrorHandler;
import io.ringflow.error.FailedRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rate, file and socket sources and the console sink, each against the real thing. */
class ConnectorsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path directory;

    @Test
    void rateSourceEmitsSequenceNumbersWithDueTimesAtTheRequestedRate() throws Exception {
        CollectingSink<RateSource.Row> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("rate");
        builder.source("rows", RateSource.of(1_000).limit(500)).to(sink);
        long started = System.nanoTime();
        run(builder, PipelineConfig.defaults());
        double seconds = (System.nanoTime() - started) / 1e9;

        List<RateSource.Row> rows = sink.values();
        assertEquals(500, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i, rows.get(i).value());
        }
        long span = rows.get(499).timestamp() - rows.get(0).timestamp();
        assertTrue(span >= 498 && span <= 500, "500 rows at 1,000/s are due over 499 ms, got " + span);
        assertTrue(seconds >= 0.45, "500 rows at 1,000/s cannot arrive in " + seconds + " s");
    }

    @Test
    void fileSourceReadsEveryLineOfEachFileOnceInNameOrder() throws Exception {
        Files.writeString(directory.resolve("b.txt"), "b1\nb2\n");
        Files.writeString(directory.resolve("a.txt"), "a1\r\na2");
        Files.writeString(directory.resolve(".in-progress"), "skipped\n");
        CollectingSink<String> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("files");
        builder.source("lines", FileSource.lines(directory).pollEvery(Duration.ofMillis(10))).to(sink);
        try (Pipeline pipeline = new Pipeline(builder.build())) {
            pipeline.start();
            assertTrue(sink.awaitSize(4, TIMEOUT));
            // A file moved in later is read once, too.
            Path staged = Files.writeString(directory.resolve("_staging"), "c1\n");
            Files.move(staged, directory.resolve("c.txt"), StandardCopyOption.ATOMIC_MOVE);
            assertTrue(sink.awaitSize(5, TIMEOUT));
            pipeline.stop();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        assertEquals(List.of("a1", "a2", "b1", "b2", "c1"), sink.values());
    }

    @Test
    void aLineThatIsNotUtf8GoesToTheErrorHandlerWithItsFileAndLine() throws Exception {
        Files.write(directory.resolve("bad.txt"), new byte[] {'o', 'k', '\n', (byte) 0xC3, (byte) 0x28, '\n', 'a', 'f', 't',
            'e', 'r', '\n'});
        Files.writeString(directory.resolve("good.txt"), "fine\n");
        CollectingSink<String> sink = new CollectingSink<>();
        CollectingSink<FailedRecord> deadLetters = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("bad-file");
        builder.source("lines", FileSource.lines(directory).existingOnly()).to(sink);
        run(builder, PipelineConfig.defaults().withErrorHandler(ErrorHandler.deadLetter(deadLetters)));
        assertEquals(List.of("ok", "after", "fine"), sink.values(), "only the bad line is missing");
        FailedRecord failed = deadLetters.values().get(0);
        assertEquals(directory.resolve("bad.txt") + ":2", failed.value());
        assertTrue(failed.cause().getMessage().contains("is not valid UTF-8 at line 2"), failed.cause().getMessage());
    }

    @Test
    void fileSourceOnAMissingDirectoryFailsSayingWhatToDo() throws Exception {
        StreamBuilder builder = new StreamBuilder("missing");
        builder.source("lines", FileSource.lines(directory.resolve("nope"))).to(new CollectingSink<>());
        try (Pipeline pipeline = new Pipeline(builder.build())) {
            pipeline.start();
            PipelineFailedException e = assertThrows(PipelineFailedException.class, () -> pipeline.awaitTermination(TIMEOUT));
            assertTrue(e.getMessage().contains("is not a directory; create it"), e.getMessage());
        }
    }

    @Test
    void socketSourceCountsWordsFromATcpServer() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CollectingSink<KeyValue<String, Long>> sink = new CollectingSink<>();
            StreamBuilder builder = new StreamBuilder("nc");
            builder.source("lines", SocketSource.lines("127.0.0.1", server.getLocalPort()))
                    .flatMap(line -> List.of(line.split(" ")))
                    .keyBy(word -> word)
                    .count()
                    .to(sink);
            try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withInMemoryState())) {
                pipeline.start();
                try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
                    out.write("to be or\r\nnot to be\nlast".getBytes(StandardCharsets.UTF_8));
                }
                assertTrue(pipeline.awaitTermination(TIMEOUT), "the source ends when the server closes");
            }
            List<String> counts = new ArrayList<>();
            sink.values().forEach(kv -> counts.add(kv.toString()));
            assertEquals(List.of("to=1", "be=1", "or=1", "not=1", "to=2", "be=2", "last=1"), counts);
        }
    }

    @Test
    void socketSourceStopsPromptlyWhileTheServerIsSilent() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StreamBuilder builder = new StreamBuilder("silent");
            builder.source("lines", SocketSource.lines("127.0.0.1", server.getLocalPort())).to(new CollectingSink<>());
            try (Pipeline pipeline = new Pipeline(builder.build()); Socket ignored = acceptLater(server)) {
                pipeline.start();
                pipeline.stop();
                assertTrue(pipeline.awaitTermination(TIMEOUT));
            }
        }
    }

    @Test
    void aSocketSourceIsRefusedWithCheckpointsAtConstructionBecauseItCannotReadAgain(@TempDir Path state) {
        StreamBuilder builder = new StreamBuilder("socket-checkpointed");
        builder.source("lines", SocketSource.lines("127.0.0.1", 9)).to(new CollectingSink<>());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new Pipeline(
                builder.build(), PipelineConfig.defaults().withStateDirectory(state).withCheckpointing(Duration.ZERO)));
        assertEquals("pipeline 'socket-checkpointed': source 'lines' (SocketSource) cannot read its input again, and"
                + " checkpoints are on: after a restore, state would miss every record it read since the last"
                + " checkpoint. Turn checkpointing off for it, or feed its input through a source that can resume"
                + " (KafkaSource, FileSource)", refused.getMessage());
    }

    @Test
    void socketSourceWithNoServerFailsNamingTheAddress() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        StreamBuilder builder = new StreamBuilder("no-server");
        builder.source("lines", SocketSource.lines("127.0.0.1", port)).to(new CollectingSink<>());
        try (Pipeline pipeline = new Pipeline(builder.build())) {
            pipeline.start();
            PipelineFailedException e = assertThrows(PipelineFailedException.class, () -> pipeline.awaitTermination(TIMEOUT));
            assertTrue(e.getMessage().contains("cannot connect to 127.0.0.1:" + port), e.getMessage());
        }
    }

    @Test
    void consoleSinkPrintsEachRecordAndTruncatesLongOnes() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        StreamBuilder builder = new StreamBuilder("console");
        builder.source("in", CollectionSource.of("short", "a rather long line of text")
                        .withTimestamps(s -> s.length()))
                .to(ConsoleSink.<String>create().to(out).truncate(10).withTimestamps());
        run(builder, PipelineConfig.defaults());
        assertEquals("[5] short\n[26] a rathe...\n", bytes.toString(StandardCharsets.UTF_8));
        assertEquals("truncate to at least 4 characters (room for \"...\"), got 3",
                assertThrows(IllegalArgumentException.class, () -> ConsoleSink.create().truncate(3)).getMessage());
    }

    /** Accepts the source's connection in the background and holds it open, saying nothing. */
    private static Socket acceptLater(ServerSocket server) {
        Socket[] accepted = new Socket[1];
        Thread acceptor = new Thread(() -> {
            try {
                accepted[0] = server.accept();
            } catch (IOException ignored) {
                // the server closed first
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return new Socket() {
            @Override
            public synchronized void close() throws IOException {
                if (accepted[0] != null) {
                    accepted[0].close();
                }
            }
        };
    }

    private static void run(StreamBuilder builder, PipelineConfig config) throws InterruptedException {
        try (Pipeline pipeline = new Pipeline(builder.build(), config)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
    }
}
