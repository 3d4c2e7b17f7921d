package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.testing.TopologyTestDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code toGlobalTable}: reference data sent on the same stream as the records joined with it.
 * Records are {@code "ref,key,value"} (a table record) or {@code "use,key"} (joined with it).
 */
class GlobalTableFromStreamTest {

    private static Topology topology(List<String> feed, CollectingSink<String> sink) {
        StreamBuilder builder = new StreamBuilder("reference-on-the-feed");
        EventStream<String> records = builder.source("feed", CollectionSource.of(feed));
        GlobalTable<String, String> reference = records.filter(r -> r.startsWith("ref,"), Named.as("refs"))
                .toGlobalTable(r -> r.split(",")[1], r -> r.split(",")[2], Named.as("reference"));
        records.filter(r -> r.startsWith("use,"), Named.as("uses"))
                .leftJoin(reference, r -> r.split(",")[1], (use, value) -> use + "=" + value, Named.as("resolve"))
                .to(sink, Named.as("resolved"));
        return builder.build();
    }

    @Test
    void aRecordMeetsTheTableAsTheFeedHadItBeforeIt() {
        List<String> feed = List.of("use,a", "ref,a,1", "use,a", "ref,a,2", "ref,b,7", "use,b", "use,a");
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(List.of(), new CollectingSink<>()))) {
            feed.forEach(r -> driver.<String>input("feed").pipe(r));
            assertEquals(List.of("use,a=null", "use,a=1", "use,b=7", "use,a=2"),
                    driver.<String>output("resolved").readValuesToList());
        }
    }

    /**
     * One reader sends every key's table record just before the records that use it: on every
     * shard, whichever threads run the stages, each record finds its value, since the table's
     * records (broadcast) and the stream's (forward) leave one shard's chain in the reader's order.
     */
    @ParameterizedTest(name = "parallelism {0}, chaining {1}")
    @CsvSource({"1, true", "2, true", "2, false"})
    void everyRecordAfterItsKeysTableRecordFindsItInAPipeline(int parallelism, boolean chaining) throws Exception {
        List<String> feed = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int k = 0; k < 2_000; k++) {
            feed.add("ref,k" + k + "," + k);
            for (int use = 0; use < 3; use++) {
                feed.add("use,k" + (k - use * 7 < 0 ? k : k - use * 7));
                expected.add(feed.get(feed.size() - 1) + "=" + feed.get(feed.size() - 1).substring(5));
            }
        }
        CollectingSink<String> sink = new CollectingSink<>();
        PipelineConfig config = PipelineConfig.defaults().withParallelism(parallelism).withSourceChaining(chaining);
        try (Pipeline pipeline = new Pipeline(topology(feed, sink), config)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(Duration.ofSeconds(30)));
        }
        assertEquals(expected.stream().sorted().toList(), sink.values().stream().sorted().toList());
    }
}
