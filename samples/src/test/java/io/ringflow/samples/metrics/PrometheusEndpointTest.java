package io.ringflow.samples.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.Named;
import io.ringflow.Pipeline;
import io.ringflow.PipelineConfig;
import io.ringflow.StreamBuilder;
import io.ringflow.collection.CollectingSink;
import io.ringflow.collection.CollectionSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pipeline's meters, scraped over HTTP the way Prometheus does. */
class PrometheusEndpointTest {

    @Test
    void servesExactCountsLatencyAndRingCapacity() throws Exception {
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            numbers.add(i);
        }
        StreamBuilder builder = new StreamBuilder("scraped");
        builder.source("numbers", CollectionSource.of(numbers))
                .filter(i -> i % 5 == 0, Named.as("fifths"))
                .to(new CollectingSink<>(), Named.as("out"));
        try (PrometheusEndpoint endpoint = PrometheusEndpoint.start(0);
             Pipeline pipeline = new Pipeline(builder.build(),
                     PipelineConfig.defaults().withMeterRegistry(endpoint.registry()))) {
            pipeline.start();
            assertTrue(pipeline.awaitTermination(Duration.ofSeconds(30)));
            String body = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(body.contains("ringflow_records_in_total{operator=\"fifths\",shard=\"0\",topology=\"scraped\"} 500.0"),
                    body);
            assertTrue(body.contains("ringflow_records_out_total{operator=\"fifths\",shard=\"0\",topology=\"scraped\"} 100.0"),
                    body);
            assertTrue(body.contains("ringflow_latency_seconds_count{operator=\"out\",topology=\"scraped\"} 100"), body);
            assertTrue(body.contains("ringflow_latency_percentile_seconds{operator=\"out\",phi=\"0.99\",topology=\"scraped\"}"),
                    body);
            assertTrue(body.contains("ringflow_ring_remaining{"), body);
        }
    }
}
