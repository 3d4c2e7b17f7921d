package io.ringflow.internal.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.state.internal.CheckpointFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The checkpoint format has one home: {@link CheckpointFormat} spells every name, nothing else does. */
class CheckpointFormatTest {

    /** What building a checkpoint name by hand looks like in source. */
    private static final List<Pattern> HAND_BUILT_NAMES = List.of(
            Pattern.compile("\"shard-\""),
            Pattern.compile("\"chk-"),
            Pattern.compile("\"@watermarks:"),
            Pattern.compile("\"@shard-watermark:"),
            Pattern.compile("\"MANIFEST\""),
            Pattern.compile("\"PARALLELISM\""),
            Pattern.compile("\"\\.lock\""),
            Pattern.compile("resolve\\(\\s*\"checkpoints\""),
            Pattern.compile("\"position\\.\""),
            Pattern.compile("\"file\\.\""),
            Pattern.compile("\\+\\s*\"/\"\\s*\\+\\s*reader\\b"),
            Pattern.compile("startsWith\\(\\s*source\\s*\\+\\s*\"/\""));

    @Test
    void noMainSourceOutsideTheFormatSpellsACheckpointName() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> found = new ArrayList<>();
        List<Path> sources;
        try (Stream<Path> modules = Files.list(root)) {
            sources = modules.map(module -> module.resolve("src/main/java")).filter(Files::isDirectory)
                    .flatMap(CheckpointFormatTest::javaFiles).toList();
        }
        assertTrue(sources.size() > 100, "found only " + sources.size() + " main sources under " + root);
        for (Path file : sources) {
            if (file.getFileName().toString().equals("CheckpointFormat.java")) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                for (Pattern pattern : HAND_BUILT_NAMES) {
                    if (pattern.matcher(lines.get(i)).find()) {
                        found.add(root.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertEquals(List.of(), found, "checkpoint names built outside CheckpointFormat; use its constants and methods");
    }

    private static Stream<Path> javaFiles(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aReaderKeyBelongsToItsOwnSourceOnlyEvenWhenAnotherSourcesNameExtendsIt() {
        String key = CheckpointFormat.readerKey("trades/eu", 3);
        assertTrue(CheckpointFormat.isReaderOf(key, "trades/eu"));
        assertFalse(CheckpointFormat.isReaderOf(key, "trades"));
        assertFalse(CheckpointFormat.isReaderOf("trades/", "trades"));
        assertFalse(CheckpointFormat.isReaderOf(CheckpointFormat.partitionWatermarksKey("trades", 0), "trades"));
        assertTrue(CheckpointFormat.isPartitionWatermarksOf(CheckpointFormat.partitionWatermarksKey("trades", 0),
                "trades"));
        assertFalse(CheckpointFormat.isPartitionWatermarksOf(CheckpointFormat.partitionWatermarksKey("trades/eu", 0),
                "trades"));
        assertFalse(CheckpointFormat.isPartitionWatermarksOf(key, "trades/eu"));
    }

    @Test
    void checkpointDirectoriesAreNumberedAndReadBack() {
        String name = CheckpointFormat.checkpointDirectory(42);
        assertTrue(CheckpointFormat.isCheckpointDirectory(name));
        assertEquals(42, CheckpointFormat.checkpointId(Path.of("/somewhere", name)));
        assertFalse(CheckpointFormat.isCheckpointDirectory(name + ".tmp"));
        assertFalse(CheckpointFormat.isCheckpointDirectory(CheckpointFormat.shardDirectory(42)));
    }

    @Test
    void watermarksOfOneSourceAreNotTakenForAnotherWhoseNameExtendsIt() {
        Map<String, byte[]> positions = Map.of(
                CheckpointFormat.partitionWatermarksKey("trades/eu", 0),
                CheckpointedWatermarks.encode(new int[] {1}, new long[] {100}, 1),
                CheckpointFormat.partitionWatermarksKey("trades", 0),
                CheckpointedWatermarks.encode(new int[] {1}, new long[] {500}, 1));
        assertEquals(500, CheckpointedWatermarks.of(positions, "trades", 1));
        assertEquals(100, CheckpointedWatermarks.of(positions, "trades/eu", 1));
    }
}
