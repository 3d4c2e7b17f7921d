package io.ringflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import io.ringflow.function.Collector;
import io.ringflow.function.KeyedCoProcessFunction;
import io.ringflow.function.KeyedProcessFunction;
import io.ringflow.function.ValueState;
import io.ringflow.state.Serde;
import io.ringflow.state.Serdes;
import io.ringflow.testing.TestInput;
import io.ringflow.testing.TopologyTestDriver;
import io.ringflow.watermark.WatermarkStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code connect(...).process}: two keyed inputs meet on the shard of their key and share its
 * state and timers; a {@code keyBy} input costs one hand-off, also when other operators read it.
 * Records are {@code "key,timestamp,amount"}.
 */
class ConnectedStreamsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static String key(String record) {
        return record.split(",")[0];
    }

    private static long time(String record) {
        return Long.parseLong(record.split(",")[1]);
    }

    private static long amount(String record) {
        return Long.parseLong(record.split(",")[2]);
    }

    private static WatermarkStrategy<String> eventTime() {
        return WatermarkStrategy.<String>forBoundedOutOfOrderness(Duration.ZERO)
                .withTimestampExtractor((record, sourceTime) -> time(record));
    }

    /** The latest quote of a key in state; each trade leaves with it, or "none". */
    private static final class LatestQuote implements KeyedCoProcessFunction<String, String, String, String> {
        @Override
        public void processElement1(String trade, KeyedProcessFunction.Context<String> ctx, Collector<String> out) {
            ValueState<String> quote = ctx.state();
            out.collect(amount(trade) + "@" + (quote.value() == null ? "none" : quote.value()));
        }

        @Override
        public void processElement2(String quote, KeyedProcessFunction.Context<String> ctx, Collector<String> out) {
            ctx.<String>state().update(String.valueOf(amount(quote)));
        }
    }

    private static Topology latestQuote(Sink<KeyValue<String, String>> sink) {
        StreamBuilder builder = new StreamBuilder("latest-quote");
        KeyedStream<String, String> trades = builder.source("trades", CollectionSource.of("x,0,0"))
                .keyBy(ConnectedStreamsTest::key);
        KeyedStream<String, String> quotes = builder.source("quotes", CollectionSource.of("x,0,0"))
                .keyBy(ConnectedStreamsTest::key);
        trades.connect(quotes).process(new LatestQuote(), Named.as("price")).to(sink, Named.as("priced"));
        return builder.build();
    }

    @Test
    void eachInputRunsItsOwnMethodAndBothShareTheKeysState() {
        try (TopologyTestDriver driver = new TopologyTestDriver(latestQuote(new CollectingSink<>()))) {
            TestInput<String> trades = driver.input("trades");
            TestInput<String> quotes = driver.input("quotes");
            trades.pipe("A,1,10");
            quotes.pipe("A,2,100");
            quotes.pipe("B,3,200");
            trades.pipe("A,4,11");
            trades.pipe("B,5,12");
            quotes.pipe("A,6,101");
            trades.pipe("A,7,13");
            trades.pipe("C,8,14");
            assertEquals(List.of(KeyValue.of("A", "10@none"), KeyValue.of("A", "11@100"), KeyValue.of("B", "12@200"),
                            KeyValue.of("A", "13@101"), KeyValue.of("C", "14@none")),
                    driver.<KeyValue<String, String>>output("priced").readValuesToList());
        }
    }

    @Test
    void twoKeyByInputsFeedOneStageWithNoStageOfTheirOwn() {
        String plan = latestQuote(new CollectingSink<>()).describe(PipelineConfig.defaults().withParallelism(2));
        assertTrue(plan.contains("stage 1") && !plan.contains("stage 2"), plan);
        assertEquals(2, plan.split("<- hash from keyBy").length - 1, plan);
    }

    /**
     * Sums both inputs per key (first input: amount, second: 1000 x amount) and remembers, in
     * state, every shard a key was seen on: the last output of each key is its exact total, and
     * one shard saw every record of it, whichever input.
     */
    private static final class SumOnOneShard implements KeyedCoProcessFunction<String, String, String, String> {
        @Override
        public void processElement1(String value, KeyedProcessFunction.Context<String> ctx, Collector<String> out) {
            add(amount(value), ctx, out);
        }

        @Override
        public void processElement2(String value, KeyedProcessFunction.Context<String> ctx, Collector<String> out) {
            add(1000 * amount(value), ctx, out);
        }

        private static void add(long amount, KeyedProcessFunction.Context<String> ctx, Collector<String> out) {
            ValueState<String> state = ctx.state();
            String[] sumAndShard = state.value() == null ? new String[] {"0", String.valueOf(ctx.shard())}
                    : state.value().split("/");
            long sum = Long.parseLong(sumAndShard[0]) + amount;
            String shards = sumAndShard[1].equals(String.valueOf(ctx.shard())) ? sumAndShard[1] : "moved";
            state.update(sum + "/" + shards);
            out.collect(sum + "/" + shards);
        }
    }

    @ParameterizedTest(name = "parallelism {0}, chaining {1}")
    @CsvSource({"1, true", "2, true", "2, false"})
    void bothInputsOfAKeyMeetOnItsShardAndSumExactly(int parallelism, boolean chaining) throws Exception {
        Random random = new Random(7);
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        Map<String, Long> expected = new TreeMap<>();
        Map<String, Long> counts = new TreeMap<>();
        for (int i = 0; i < 4_000; i++) {
            String key = "k" + random.nextInt(40);
            long amount = 1 + random.nextInt(9);
            boolean isFirst = random.nextBoolean();
            (isFirst ? first : second).add(key + "," + i + "," + amount);
            expected.merge(key, isFirst ? amount : 1000 * amount, Long::sum);
            counts.merge(key, 1L, Long::sum);
        }
        CollectingSink<KeyValue<String, String>> sums = new CollectingSink<>();
        CollectingSink<KeyValue<String, Long>> firstCounts = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("sums");
        KeyedStream<String, String> a = builder.source("a", CollectionSource.of(first), eventTime())
                .keyBy(ConnectedStreamsTest::key, Named.as("a-by-key"));
        KeyedStream<String, String> b = builder.source("b", CollectionSource.of(second), eventTime())
                .keyBy(ConnectedStreamsTest::key);
        a.connect(b).process(new SumOnOneShard(), Named.as("sum")).to(sums, Named.as("sums"));
        a.count(Named.as("count-a")).to(firstCounts, Named.as("counts")); // a second reader of the same keyBy
        PipelineConfig config = PipelineConfig.defaults().withParallelism(parallelism).withSourceChaining(chaining);
        try (Pipeline pipeline = new Pipeline(builder.build(), config)) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(TIMEOUT), "the bounded inputs end the pipeline");
        }
        assertEquals(4_000, sums.size(), "one output per record of either input");
        Map<String, String> last = new TreeMap<>();
        for (KeyValue<String, String> sum : sums.values()) {
            last.put(sum.key(), sum.value());
        }
        for (Map.Entry<String, Long> total : expected.entrySet()) {
            String result = last.get(total.getKey());
            assertEquals(total.getValue(), Long.parseLong(result.split("/")[0]), "total of " + total.getKey());
            assertTrue(!result.endsWith("moved"), total.getKey() + " was seen on two shards");
        }
        Map<String, Long> lastCounts = new TreeMap<>();
        firstCounts.values().forEach(count -> lastCounts.put(count.key(), count.value()));
        assertEquals(first.size(), lastCounts.values().stream().mapToLong(Long::longValue).sum(),
                "the keyBy's other reader still gets every record");
    }

    /** An event-time timer fires once both inputs' watermarks have passed it, not on one input's. */
    @Test
    void anEventTimeTimerWaitsForTheSlowerInput() {
        KeyedCoProcessFunction<String, String, String, String> remind = new KeyedCoProcessFunction<>() {
            @Override
            public void processElement1(String value, KeyedProcessFunction.Context<String> ctx, Collector<String> out) {
                ctx.timers().registerEventTimeTimer(time(value) + 10);
            }

            @Override
            public void processElement2(String value, KeyedProcessFunction.Context<String> ctx, Collector<String> out) {
            }

            @Override
            public void onTimer(long timestamp, KeyedProcessFunction.OnTimerContext<String> ctx, Collector<String> out) {
                out.collect("timer " + timestamp + " at watermark " + ctx.watermark());
            }
        };
        CollectingSink<KeyValue<String, String>> sink = new CollectingSink<>();
        StreamBuilder builder = new StreamBuilder("remind");
        KeyedStream<String, String> a = builder.source("a", CollectionSource.of("A,5,1", "A,100,1"), eventTime())
                .keyBy(ConnectedStreamsTest::key);
        KeyedStream<String, String> b = builder.source("b", CollectionSource.of("A,1,1", "A,12,1", "A,30,1"),
                eventTime()).keyBy(ConnectedStreamsTest::key);
        a.connect(b).process(remind, Named.as("remind")).to(sink, Named.as("reminders"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.input("a").pipe("A,5,1");
            driver.input("b").pipe("A,1,1");
            driver.input("a").pipe("A,100,1");
            assertTrue(driver.output("reminders").isEmpty());
            driver.input("b").pipe("A,12,1");
            assertTrue(driver.output("reminders").isEmpty());
            driver.input("b").pipe("A,30,1");
            assertEquals(List.of(KeyValue.of("A", "timer 15 at watermark 30")),
                    driver.<KeyValue<String, String>>output("reminders").readValuesToList());
        }
    }

    @Test
    void aStreamCannotBeConnectedToItself() {
        StreamBuilder builder = new StreamBuilder("self");
        KeyedStream<String, String> a = builder.source("a", CollectionSource.of("A,1,1")).keyBy(ConnectedStreamsTest::key);
        TopologyException error = assertThrows(TopologyException.class,
                () -> a.connect(a).process(new LatestQuote()));
        assertTrue(error.getMessage().contains("cannot be connected to itself"), error.getMessage());
    }

    record Trade(String symbol, long qty) {
    }

    record Quote(String symbol, double mid) {
    }

    /** README's example of connect, as it is there, on the driver. */
    @Test
    void readmeExampleStampsEachTradeWithTheLatestQuote() {
        Serde<Quote> quoteSerde = Serdes.of("Quote", (q, out) -> {
            out.writeUTF(q.symbol());
            out.writeDouble(q.mid());
        }, in -> new Quote(in.readUTF(), in.readDouble()));
        StreamBuilder builder = new StreamBuilder("readme-connect");
        EventStream<Trade> trades = builder.source("trades", CollectionSource.<Trade>of());
        EventStream<Quote> quotes = builder.source("quotes", CollectionSource.<Quote>of());
        trades.keyBy(Trade::symbol)
              .connect(quotes.keyBy(Quote::symbol))
              .process(new KeyedCoProcessFunction<String, Trade, Quote, String>() {
                  public void processElement1(Trade t, KeyedProcessFunction.Context<String> ctx, Collector<String> out) {
                      Quote q = ctx.<Quote>state().value();
                      out.collect(t.qty() + "@" + (q == null ? "none" : q.mid()));
                  }
                  public void processElement2(Quote q, KeyedProcessFunction.Context<String> ctx, Collector<String> out) {
                      ctx.<Quote>state().update(q);
                  }
              }, Named.as("price"), Materialized.with(Serdes.string(), quoteSerde))
              .to(new CollectingSink<>(), Named.as("priced"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            driver.<Trade>input("trades").pipe(new Trade("AAPL", 100));
            driver.<Quote>input("quotes").pipe(new Quote("AAPL", 189.5));
            driver.<Trade>input("trades").pipe(new Trade("AAPL", 200));
            assertEquals(List.of(KeyValue.of("AAPL", "100@none"), KeyValue.of("AAPL", "200@189.5")),
                    driver.<KeyValue<String, String>>output("priced").readValuesToList());
        }
    }
}
