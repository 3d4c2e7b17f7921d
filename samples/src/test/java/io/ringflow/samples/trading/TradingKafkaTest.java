package io.ringflow.samples.trading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.Sink;
import io.ringflow.collection.CollectingSink;
import io.ringflow.connectors.kafka.testing.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The demo's --kafka path end to end: the hand-made market produced into a real broker, read back, exact results. */
class TradingKafkaTest {

    @Test
    void marketThroughARealBrokerGivesTheSameExactResults() throws Exception {
        long t0 = System.currentTimeMillis() / 60_000 * 60_000 - 120_000; // recent, so the broker keeps it
        List<MarketEvent> events = new ArrayList<>(TradingFixture.events(t0));
        // A trade and a quote far ahead move the watermark past every window of the fixture.
        events.add(new Trade("ZZZ", "zz-tick", 1.0, 1, t0 + 70_000));
        events.add(new Quote("ZZZ", 1.0, 1.0, t0 + 70_000));

        CollectingSink<Vwap> vwaps = new CollectingSink<>();
        CollectingSink<Volume> volumes = new CollectingSink<>();
        CollectingSink<PriceAlert> alerts = new CollectingSink<>();
        CollectingSink<TraderSession> sessions = new CollectingSink<>();
        Sink<Object> ignored = (v, t) -> { };
        try (KafkaBroker broker = KafkaBroker.start()) {
            TradingDemo.createTopic(broker.bootstrapServers(), TradingDemo.TOPIC, 1);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                    broker.bootstrapServers(), "linger.ms", 0), new StringSerializer(), new ByteArraySerializer())) {
                for (MarketEvent event : events) {
                    producer.send(TradingDemo.record(event)).get();
                }
            }
            try (Pipeline pipeline = new Pipeline(TradingTopology.build(
                    TradingDemo.kafkaSource(broker.bootstrapServers(), "trading-test"),
                    new TradingTopology.Outputs(vwaps, volumes, alerts, sessions, ignored, ignored, ignored, ignored,
                            ignored),
                    TradingTopology.Settings.defaults()), PipelineConfig.defaults().withParallelism(2))) {
                pipeline.start();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (System.nanoTime() < deadline && (vwaps.size() < 5 || volumes.size() < 12 || sessions.size() < 3
                        || alerts.size() < 1)) {
                    Thread.sleep(20); // polling a condition with a deadline
                }
                pipeline.stop();
                assertTrue(pipeline.awaitTermination(Duration.ofSeconds(20)));
                assertEquals(1, pipeline.lateRecords(TradingTopology.VWAP));
            }
        }
        assertEquals(TradingFixture.vwaps(t0), vwaps.values().stream().filter(v -> !v.symbol().equals("ZZZ"))
                .sorted(TradingFixture.BY_VWAP).toList());
        assertEquals(TradingFixture.volumes(t0), volumes.values().stream().filter(v -> !v.symbol().equals("ZZZ"))
                .sorted(TradingFixture.BY_VOLUME).toList());
        assertEquals(TradingFixture.sessions(t0), sessions.values().stream()
                .filter(s -> !s.trader().equals("zz-tick")).sorted(TradingFixture.BY_SESSION).toList());
        assertEquals(1, alerts.size());
        assertEquals(new PriceAlert("AAPL", t0, 100.0, 101.5, alerts.values().get(0).movePercent(), t0 + 1_600),
                alerts.values().get(0));
        assertEquals(1.5, alerts.values().get(0).movePercent(), 1e-9);
    }
}
