package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.watermark.WatermarkStrategy;
import io.ringflow.windowing.EmitStrategy;
import io.ringflow.windowing.TumblingWindows;
import io.ringflow.windowing.Windowed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What needs processing time to pass without records, in the threaded pipeline: an idle
 * reader stops holding the watermark back, and everyInterval emits while input is quiet.
 */
class ProcessingTimeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static WatermarkStrategy<String> eventTime() {
        return WatermarkStrategy.<String>forMonotonousTimestamps()
                .withTimestampExtractor((event, sourceTime) -> Long.parseLong(event.split("@")[1]));
    }

    /** Reader 0 emits a@0, a@10, a@20, ... about every millisecond; reader 1 emits b@3 and goes quiet. */
    private static final class OneQuietReader implements Source<String> {
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public int readers() {
            return 2;
        }

        @Override
        public void run(SourceContext<String> context) throws InterruptedException {
            if (context.reader() == 1) {
                context.emit("b@3");
                release.await();
                return;
            }
            for (long t = 0; release.getCount() > 0 && context.isRunning(); t += 10) {
                context.emit("a@" + t);
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    /** Chained, the quiet reader's idleness reaches its shard from the timer while the reader is blocked. */
    @ParameterizedTest(name = "source chaining {0}")
    @ValueSource(booleans = {true, false})
    void anIdleReaderStopsHoldingTheWatermarkBack(boolean chaining) throws Exception {
        OneQuietReader source = new OneQuietReader();
        CollectingSink<KeyValue<Windowed<String>, Long>> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("idleness");
        builder.source("events", source, eventTime().withIdleness(Duration.ofMillis(100)))
                .keyBy(e -> e.split("@")[0])
                .window(TumblingWindows.of(Duration.ofMillis(10)))
                .count(Named.as("counts"))
                .to(sink);
        try (Pipeline pipeline = new Pipeline(builder.build(), PipelineConfig.defaults().withParallelism(2)
                .withSourceChaining(chaining))) {
            assertTrue(pipeline.describe().contains("Timer: one thread, a tick every 50 ms"), pipeline.describe());
            pipeline.start();
            // Without idleness the quiet reader's watermark (3) would keep every window open.
            assertTrue(sink.awaitSize(5, TIMEOUT), "windows did not close while reader 1 was quiet");
            source.release.countDown();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
        List<String> results = new ArrayList<>();
        sink.values().forEach(kv -> results.add(kv.key() + "=" + kv.value()));
        assertTrue(results.contains("b@[0, 10)=1"), results.toString());
        assertTrue(results.contains("a@[0, 10)=1") && results.contains("a@[10, 20)=1"), results.toString());
    }

    @Test
    void everyIntervalEmitsWhileNoRecordArrives() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Source<String> twoThenQuiet = context -> {
            context.emit("a@1");
            context.emit("a@2");
            release.await();
        };
        CollectingSink<KeyValue<Windowed<String>, Long>> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("interval");
        builder.source("events", twoThenQuiet, eventTime())
                .keyBy(e -> e.split("@")[0])
                .window(TumblingWindows.of(Duration.ofSeconds(1)))
                .emit(EmitStrategy.everyInterval(Duration.ofMillis(50)))
                .count(Named.as("counts"))
                .to(sink);
        try (Pipeline pipeline = new Pipeline(builder.build())) {
            pipeline.start();
            // A tick may fall between the two records (then 1 comes first); the 2 can only come from a
            // tick after both, while the source is quiet.
            Windowed<String> window = new Windowed<>("a", new io.ringflow.windowing.Window(0, 1_000));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!sink.values().contains(KeyValue.of(window, 2L))) {
                assertTrue(System.nanoTime() < deadline, "nothing was emitted while the source was quiet: "
                        + sink.values());
                Thread.sleep(5);
            }
            List<KeyValue<Windowed<String>, Long>> emitted = sink.values();
            assertTrue(emitted.equals(List.of(KeyValue.of(window, 2L)))
                    || emitted.equals(List.of(KeyValue.of(window, 1L), KeyValue.of(window, 2L))), emitted.toString());
            release.countDown();
            assertTrue(pipeline.awaitTermination(TIMEOUT));
        }
    }
}
