package io.ringflow.connectors.kafka;

import io.ringflow.TransactionalSink;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link KafkaSink} whose output commits with the pipeline's checkpoints: exactly-once
 * output to Kafka for {@code read_committed} consumers. Built with
 * {@link KafkaSink.Builder#buildExactlyOnce(String)}.
 *
 * <p>One Kafka transaction is open at a time, shared by every shard. When a checkpoint is on
 * disk (every shard paused at its cut), the transaction commits together with a marker: an
 * offset commit, inside the same transaction, for the consumer group
 * {@code ringflow-sink.<transactional id>} whose metadata is the checkpoint's id. Kafka makes
 * output and marker visible atomically, so after a crash the marker says exactly which
 * checkpoint's output is visible, and the pipeline restores that checkpoint: its state and its
 * source positions match the output, and nothing is written twice or lost. (Kafka 4.1's
 * clients cannot resume a prepared transaction after a restart (KIP-939), which is why the
 * checkpoint follows the transaction rather than the other way round.)
 *
 * <p>Costs are on {@link KafkaSink.Builder#buildExactlyOnce(String)}.
 */
public final class ExactlyOnceKafkaSink<T> extends KafkaSink<T> implements TransactionalSink<T> {

    private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceKafkaSink.class);
    private static final String MARKER_PREFIX = "ringflow-checkpoint=";
    private static final long TIMEOUT_SECONDS = 60;

    private final String transactionalId;
    private final String markerGroup;
    private volatile boolean inTransaction;

    ExactlyOnceKafkaSink(KafkaSink.Builder<T> builder, String transactionalId) {
        super(builder);
        this.transactionalId = transactionalId;
        this.markerGroup = "ringflow-sink." + transactionalId;
    }

    /**
     * Fences off any earlier writer with this transactional id (Kafka aborts its open
     * transaction, or finishes one it had begun to commit), then reads which checkpoint the
     * last committed transaction carried.
     */
    @Override
    public long recover() throws Exception {
        KafkaTopics.describe(properties, List.of(topic), "sink to topic '" + topic + "'");
        KafkaProducer<byte[], byte[]> kafka = newProducer();
        try {
            kafka.initTransactions();
        } catch (RuntimeException e) {
            kafka.close(Duration.ZERO);
            throw e;
        }
        producer = kafka;
        return committedCheckpoint();
    }

    /** The checkpoint id in the marker group's committed offset; waits out transactions still settling. */
    private long committedCheckpoint() throws InterruptedException {
        try (Admin admin = Admin.create(KafkaTopics.adminProperties(properties))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin
                    .listConsumerGroupOffsets(markerGroup, new ListConsumerGroupOffsetsOptions().requireStable(true))
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            OffsetAndMetadata marker = offsets.get(markerPartition());
            if (marker == null || !marker.metadata().startsWith(MARKER_PREFIX)) {
                return 0;
            }
            return Long.parseLong(marker.metadata().substring(MARKER_PREFIX.length()));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0;
            }
            throw new IllegalStateException("could not read which checkpoint sink to Kafka topic '" + topic
                    + "' last committed (group " + markerGroup + "): " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer from Kafka within " + TIMEOUT_SECONDS + " s reading group "
                    + markerGroup + " for exactly-once sink to '" + topic + "'", e);
        }
    }

    private TopicPartition markerPartition() {
        return new TopicPartition(topic, 0);
    }

    /** Starts the first transaction; the producer was created and fenced in {@link #recover()}. */
    @Override
    public void open() {
        if (producer == null) {
            throw new IllegalStateException("exactly-once KafkaSink for '" + topic + "' was not recovered: it runs"
                    + " only in a pipeline with checkpointing on");
        }
        producer.beginTransaction();
        inTransaction = true;
    }

    @Override
    public void commit(long checkpointId) throws Exception {
        KafkaProducer<byte[], byte[]> kafka = producer;
        kafka.flush();
        throwFailures(); // a failed send dooms the transaction: better to say which records than that it failed
        try {
            kafka.sendOffsetsToTransaction(Map.of(markerPartition(),
                    new OffsetAndMetadata(0, MARKER_PREFIX + checkpointId)), new ConsumerGroupMetadata(markerGroup));
            kafka.commitTransaction();
        } catch (ProducerFencedException e) {
            inTransaction = false; // the broker aborted it; nothing to abort on close
            throw new IllegalStateException("exactly-once sink to '" + topic + "': another writer with transactional"
                    + " id '" + transactionalId + "' has started and fenced this one off, so its output since the last"
                    + " checkpoint is discarded; give every running instance its own transactional id", e);
        }
        inTransaction = false;
        kafka.beginTransaction();
        inTransaction = true;
    }

    /**
     * Aborts the open transaction (its records belong to no completed checkpoint and are
     * written again after a restart) and closes the producer.
     */
    @Override
    public void close() {
        KafkaProducer<byte[], byte[]> kafka = producer;
        if (kafka == null) {
            return;
        }
        try {
            if (inTransaction) {
                kafka.abortTransaction();
            }
        } catch (RuntimeException e) {
            LOG.warn("exactly-once sink to '{}': aborting the open transaction failed (Kafka aborts it after"
                    + " transaction.timeout.ms): {}", topic, e.toString());
        } finally {
            inTransaction = false;
            kafka.close(Duration.ofSeconds(30));
            producer = null;
        }
    }

    @Override
    public String toString() {
        return "KafkaSink{topic=" + topic + ", exactly-once, transactional.id=" + transactionalId + '}';
    }
}
