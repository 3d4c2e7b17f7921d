package io.ringflow.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringflow.connectors.kafka.testing.KafkaBroker;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The group-level race behind ChaosTest seed 10672900101600 (shared checkpoints), with Kafka
 * alone: static members (group.instance.id, as ChaosApp sets) and cooperative rebalancing (as
 * KafkaSourceReader sets with shared checkpoints). Member b owns every partition; a joins; in
 * the first cooperative round b is told to revoke one partition, which nobody gets until b
 * rejoins for the second round. b dies there (here: its thread never returns from the revoke
 * callback, as a SIGKILL would leave it) and a new process takes b's group.instance.id. The
 * coordinator hands it b's first-round assignment without a rebalance, and the new process,
 * having revoked nothing, never asks for the second round: the partition stays unowned in a
 * stable group for as long as nobody joins or leaves.
 */
class StaticMemberHandoverTest {

    private static final String TOPIC = "handover";

    @Test
    void withoutARejoinTheReplacementLeavesThePartitionBeingRevokedUnowned() throws Exception {
        assertEquals(2, ownedAfterReplacement(false).size());
    }

    /** What KafkaSourceReader does as a static member with shared checkpoints: one rebalance after its first assignment. */
    @Test
    void aRejoinAfterTheFirstAssignmentGetsThePartitionOwned() throws Exception {
        assertEquals(3, ownedAfterReplacement(true).size());
    }

    private static Set<String> ownedAfterReplacement(boolean rejoin) throws Exception {
        try (KafkaBroker broker = KafkaBroker.start()) {
            broker.createTopic(TOPIC, 3);
            Member b = new Member(broker.bootstrapServers(), "b", true, false);
            b.start();
            b.awaitOwning(3);
            Member a = new Member(broker.bootstrapServers(), "a", false, false);
            a.start();
            assertTrue(b.revoking.await(30, TimeUnit.SECONDS), "b was never asked to revoke a partition");
            Member b2 = new Member(broker.bootstrapServers(), "b", false, rejoin); // b's restart, same instance id
            b2.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            Set<String> owned = new TreeSet<>();
            while (System.nanoTime() < deadline) {
                owned.clear();
                a.owned.forEach(p -> owned.add(p.toString()));
                b2.owned.forEach(p -> owned.add(p.toString()));
                if (owned.size() == 3) {
                    break;
                }
                Thread.sleep(100);
            }
            System.out.println("StaticMemberHandoverTest rejoin=" + rejoin + ": a owns " + a.owned + ", b's replacement "
                    + b2.owned);
            a.stop();
            b2.stop();
            b.stop();
            return owned;
        }
    }

    /** One consumer on its own thread, polling until stopped; {@code dieOnRevoke}: never returns from a revoke. */
    private static final class Member implements ConsumerRebalanceListener {
        final Set<TopicPartition> owned = new ConcurrentSkipListSet<>(
                java.util.Comparator.comparing(TopicPartition::toString));
        final CountDownLatch revoking = new CountDownLatch(1);
        private final CountDownLatch dead = new CountDownLatch(1);
        private final boolean dieOnRevoke;
        private boolean rejoinOnce;
        private volatile boolean assigned;
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        Member(String bootstrap, String instance, boolean dieOnRevoke, boolean rejoinOnce) {
            this.dieOnRevoke = dieOnRevoke;
            this.rejoinOnce = rejoinOnce;
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "handover-group");
            props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "handover-" + instance);
            props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
            props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
            props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            thread = new Thread(this::run, "member-" + instance + (dieOnRevoke ? "" : "-2"));
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            try {
                consumer.subscribe(List.of(TOPIC), this);
                while (running) {
                    consumer.poll(Duration.ofMillis(100));
                    if (rejoinOnce && assigned) {
                        rejoinOnce = false;
                        consumer.enforceRebalance();
                    }
                }
            } catch (Exception e) {
                // fenced or woken up at the end: nothing to do
            } finally {
                if (!dieOnRevoke) {
                    consumer.close(Duration.ZERO);
                }
            }
        }

        void awaitOwning(int partitions) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (owned.size() < partitions && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(partitions, owned.size(), "owned " + owned);
        }

        void stop() throws InterruptedException {
            running = false;
            dead.countDown();
            thread.join(10_000);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            owned.addAll(partitions);
            assigned = true;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            owned.removeAll(partitions);
            if (dieOnRevoke && !partitions.isEmpty() && running) {
                revoking.countDown();
                try {
                    dead.await(); // a SIGKILL here: the member never rejoins for the second round
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            owned.removeAll(partitions);
        }
    }
}
