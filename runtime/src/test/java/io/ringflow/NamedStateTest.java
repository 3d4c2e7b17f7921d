package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.function.Collector;
import io.ringflow.function.KeyedProcessFunction;
import io.ringflow.function.ListStateSpec;
import io.ringflow.function.MapStateSpec;
import io.ringflow.function.Ttl;
import io.ringflow.testing.TestInput;
import io.ringflow.testing.TestRecord;
import io.ringflow.testing.TopologyTestDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Named map, list and value state of a keyed {@code process} through the test driver, with
 * exact outputs: point operations, iteration in map-key byte order, lists in insertion order,
 * one key's entries never seen by a key its bytes start with, a name declared twice failing the
 * pipeline, and TTL: reads stop seeing an entry once the watermark passes its last write plus
 * the TTL (reads do not refresh it, rewrites do), also in {@code onTimer} before the cleanup
 * ran, and the cleanup deletes the entries and their timers from the stores.
 */
class NamedStateTest {

    static Topology topology(KeyedProcessFunction<String, String, String> function) {
        StreamBuilder builder = new StreamBuilder("named-state");
        builder.source("events", CollectionSource.of("x@0:v.get"), StateCommands.eventTime())
                .keyBy(StateCommands::key)
                .process(function, Named.as("process"))
                .to(new CollectingSink<>(), Named.as("out"));
        return builder.build();
    }

    /** Each output as "key:value@timestamp". */
    static List<String> outputs(TopologyTestDriver driver) {
        List<String> out = new ArrayList<>();
        for (TestRecord<KeyValue<String, String>> record : driver.<KeyValue<String, String>>output("out")
                .readRecordsToList()) {
            out.add(record.value().key() + ":" + record.value().value() + "@" + record.timestamp());
        }
        return out;
    }

    /** Entries (or timers) the heap store {@code store} of the operator holds now, exact. */
    static long stored(TopologyTestDriver driver, String store) {
        long entries = driver.storedEntries("process." + store);
        assertTrue(entries >= 0, "no store process." + store);
        return entries;
    }

    private static void pipe(TopologyTestDriver driver, String... events) {
        TestInput<String> input = driver.input("events");
        for (String event : events) {
            input.pipe(event);
        }
    }

    @Test
    void mapPointOperationsAndIterationInMapKeyByteOrder() {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(new StateCommands()))) {
            pipe(driver, "a@1:m.put=b=2", "a@2:m.put=a=1", "a@3:m.put=B=3", "a@4:m.all", "a@5:m.keys",
                    "a@6:m.vals", "a@7:m.get=a", "a@8:m.get=z", "a@9:m.has=b", "a@10:m.put=b=20", "a@11:m.rem=a",
                    "a@12:m.rem=nothing", "a@13:m.all", "a@14:m.empty", "a@15:m.clr", "a@16:m.empty", "a@17:m.all",
                    "a@18:m.has=b");
            assertEquals(List.of("a:m.all=[B=3, a=1, b=2]@4", "a:m.keys=[B, a, b]@5", "a:m.vals=[3, 1, 2]@6",
                    "a:m.get=1@7", "a:m.get=null@8", "a:m.has=true@9", "a:m.all=[B=3, b=20]@13",
                    "a:m.empty=false@14", "a:m.empty=true@16", "a:m.all=[]@17", "a:m.has=false@18"), outputs(driver));
            assertEquals(0, stored(driver, "map.m"), "clear deleted every entry");
        }
    }

    @Test
    void aKeysEntriesAreNeverSeenByAKeyItsBytesStartWith() {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(new StateCommands()))) {
            pipe(driver, "A@1:m.put=x=1", "AB@2:m.put=y=2", "A@3:l.add=p", "AB@4:l.add=q", "A@5:m.all",
                    "AB@6:m.all", "A@7:l.get", "AB@8:l.get", "A@9:m.clr", "A@10:l.clr", "AB@11:m.all", "AB@12:l.get");
            assertEquals(List.of("A:m.all=[x=1]@5", "AB:m.all=[y=2]@6", "A:l.get=[p]@7", "AB:l.get=[q]@8",
                    "AB:m.all=[y=2]@11", "AB:l.get=[q]@12"), outputs(driver));
        }
    }

    @Test
    void aListKeepsTheOrderElementsWereAddedIn() {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(new StateCommands()))) {
            pipe(driver, "a@1:l.get", "a@2:l.add=z", "a@3:l.add=a", "a@4:l.addall=m,z", "a@5:l.get",
                    "b@6:l.add=other", "a@7:l.set=q,r", "a@8:l.get", "a@9:l.set=", "a@10:l.get", "a@11:l.add=s",
                    "a@12:l.get", "a@13:l.clr", "a@14:l.get", "b@15:l.get");
            assertEquals(List.of("a:l.get=[]@1", "a:l.get=[z, a, m, z]@5", "a:l.get=[q, r]@8", "a:l.get=[]@10",
                    "a:l.get=[s]@12", "a:l.get=[]@14", "b:l.get=[other]@15"), outputs(driver));
            assertEquals(2, stored(driver, "list.l"), "b's element and its sequence entry; a left nothing");
        }
    }

    @Test
    void aNamedValueIsOnePerKeyApartFromTheOthers() {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(new StateCommands()))) {
            pipe(driver, "a@1:v.get", "a@2:v.set=5", "b@3:v.set=6", "a@4:v.get", "a@5:tv.get", "a@6:v.clr",
                    "a@7:v.get", "b@8:v.get");
            assertEquals(List.of("a:v.get=null@1", "a:v.get=5@4", "a:tv.get=null@5", "a:v.get=null@7",
                    "b:v.get=6@8"), outputs(driver));
        }
    }

    @Test
    void oneNameDeclaredAsTwoStatesFailsThePipelineNamingBoth() {
        KeyedProcessFunction<String, String, String> twice = (event, ctx, out) -> {
            ctx.mapState(MapStateSpec.of("seen", String.class, Long.class)).put("k", 1L);
            ctx.listState(ListStateSpec.of("seen", String.class)).add("k");
        };
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(twice))) {
            RuntimeException failure = assertThrows(RuntimeException.class, () -> pipe(driver, "a@1:x"));
            assertTrue(failure.getMessage().contains("process 'process': state 'seen' is declared as map 'seen' of"
                    + " String -> Long, no TTL and as list 'seen' of String, no TTL; one name is one state"),
                    failure.getMessage());
        }
        KeyedProcessFunction<String, String, String> otherTtl = (event, ctx, out) -> {
            ctx.mapState(MapStateSpec.of("seen", String.class, Long.class)).put("k", 1L);
            ctx.mapState(MapStateSpec.of("seen", String.class, Long.class)
                    .withTtl(Ttl.eventTime(Duration.ofSeconds(1)))).put("k", 1L);
        };
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(otherTtl))) {
            RuntimeException failure = assertThrows(RuntimeException.class, () -> pipe(driver, "a@1:x"));
            assertTrue(failure.getMessage().contains("and as map 'seen' of String -> Long, Ttl.eventTime(1000 ms)"),
                    failure.getMessage());
        }
    }

    @Test
    void aTypeWithoutABuiltInSerdeIsRefusedWhenTheSpecIsBuilt() {
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> MapStateSpec.of("m", String.class, StringBuilder.class));
        assertEquals("state 'm': no built-in serde for map values of type java.lang.StringBuilder; Ringflow has"
                + " them for String, Long, Integer, Double and byte[]. Pass a serde instead, for example one built"
                + " with Serdes.of(...)", failure.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ListStateSpec.of("a.b", String.class));
    }
}
