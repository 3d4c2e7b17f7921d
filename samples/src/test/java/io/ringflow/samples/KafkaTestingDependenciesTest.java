package io.ringflow.samples;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.api.Test;

/**
 * samples/pom.xml declares only ringflow-kafka-testing, not the broker's jars: the classes
 * KafkaBroker needs at run time must come with it, as they would for any user of the artifact.
 */
class KafkaTestingDependenciesTest {

    @Test
    void kafkaBrokerBringsTheBrokerJarsItNeedsWithoutDeclaringThemByHand() {
        for (String needed : new String[] {
                "io.ringflow.connectors.kafka.testing.KafkaBroker",
                "kafka.server.KafkaRaftServer",                      // kafka_2.13
                "org.apache.kafka.metadata.storage.Formatter",       // kafka-metadata
                "org.apache.kafka.server.common.MetadataVersion"}) { // kafka-server-common
            assertDoesNotThrow(() -> Class.forName(needed, false, getClass().getClassLoader()), needed);
        }
    }
}
