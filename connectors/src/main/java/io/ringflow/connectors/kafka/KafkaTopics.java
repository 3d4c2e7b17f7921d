package io.ringflow.connectors.kafka;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks, with Kafka's Admin client, that topics exist before a source or sink relies on them,
 * so a typo or a missing ACL fails at start with a message that says what to do, instead of a
 * consumer that waits forever or a producer that times out a minute later.
 */
final class KafkaTopics {

    private static final long TIMEOUT_SECONDS = 30;

    private KafkaTopics() {
    }

    /** The Admin client's share of a consumer's or producer's settings (servers, security), with a bounded wait. */
    static Properties adminProperties(Map<String, Object> clientProperties) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.keySet().retainAll(AdminClientConfig.configNames());
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        return props;
    }

    /**
     * @return each topic's description (partitions)
     * @throws IllegalStateException naming the topic and the fix
     */
    static Map<String, TopicDescription> describe(Map<String, Object> clientProperties, Collection<String> topics,
                                                  String role) {
        Properties props = adminProperties(clientProperties);
        String servers = String.valueOf(clientProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        try (Admin admin = Admin.create(props)) {
            return admin.describeTopics(topics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UnknownTopicOrPartitionException) {
                throw new IllegalStateException("Kafka topic(s) " + topics + " for " + role + " do not all exist on "
                        + servers + ": create them first (kafka-topics.sh --bootstrap-server " + servers
                        + " --create --topic <name> --partitions <n>); Ringflow never creates topics implicitly", cause);
            }
            if (cause instanceof TopicAuthorizationException) {
                throw new IllegalStateException("not authorized to use Kafka topic(s) " + topics + " for " + role
                        + " on " + servers + ": grant this client's principal DESCRIBE and "
                        + (role.startsWith("sink") ? "WRITE" : "READ") + " on them (kafka-acls.sh --add ...)", cause);
            }
            throw new IllegalStateException("could not describe Kafka topic(s) " + topics + " for " + role + " on "
                    + servers + ": " + cause, cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer from Kafka at " + servers + " within " + TIMEOUT_SECONDS
                    + " s while checking topic(s) " + topics + " for " + role + ": is the broker running and "
                    + "bootstrap.servers right?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking Kafka topic(s) " + topics, e);
        }
    }

    /**
     * Checks that reader {@code reader} of {@code source} can start: its topics exist, and so
     * does each fixed partition it reads.
     *
     * @throws IllegalStateException naming the topic or partition and the fix
     */
    static void checkSource(KafkaSource<?> source, int reader) {
        if (source.subscribes()) {
            describe(source.properties(), source.topics(), "source " + source);
            return;
        }
        List<TopicPartition> mine = source.partitionsOf(reader);
        Set<String> topics = new HashSet<>();
        mine.forEach(p -> topics.add(p.topic()));
        if (topics.isEmpty()) {
            return;
        }
        Map<String, TopicDescription> described = describe(source.properties(), topics, "source " + source);
        for (TopicPartition partition : mine) {
            int count = described.get(partition.topic()).partitions().size();
            if (partition.partition() < 0 || partition.partition() >= count) {
                throw new IllegalStateException("Kafka topic '" + partition.topic() + "' has " + count
                        + " partition(s), numbered 0 to " + (count - 1) + ": there is no partition " + partition.partition());
            }
        }
    }
}
