package io.ringflow.connectors.kafka.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Apache Kafka broker, in KRaft mode (broker and controller in one), in this JVM, on
 * 127.0.0.1 with free ports and a temporary log directory, from Maven Central artifacts only.
 * For integration tests, samples and benchmarks; not part of the connector API. It is in
 * {@code io.ringflow:ringflow-kafka-testing}, which brings the broker's jars with it:
 *
 * <pre>{@code
 * <dependency>
 *   <groupId>io.ringflow</groupId>
 *   <artifactId>ringflow-kafka-testing</artifactId>
 *   <version>...</version>
 *   <scope>test</scope>
 * </dependency>
 * }</pre>
 *
 * <pre>{@code
 * try (KafkaBroker broker = KafkaBroker.start()) {
 *     String bootstrap = broker.bootstrapServers();
 * }
 * }</pre>
 *
 * Starts in a few seconds with a small heap; {@link #close()} shuts it down and deletes its data.
 */
public final class KafkaBroker implements AutoCloseable {

    private final KafkaRaftServer server;
    private final Path logDir;
    private final int port;

    private KafkaBroker(KafkaRaftServer server, Path logDir, int port) {
        this.server = server;
        this.logDir = logDir;
        this.port = port;
    }

    /** Formats a new log directory and starts a one-node cluster on it. */
    public static KafkaBroker start() throws Exception {
        Path logDir = Files.createTempDirectory("ringflow-kafka-");
        int brokerPort = freePort();
        int controllerPort = freePort();
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // The default dedupe buffer (128 MiB) does not fit a test JVM's heap.
        props.put("log.cleaner.dedupe.buffer.size", "4194304");
        props.put("num.partitions", "1");
        // Tests write event times near 1970; time-based retention would delete those records
        // (active segment included) under a running test whenever the retention check runs.
        props.put("log.retention.ms", "-1");
        props.put("auto.create.topics.enable", "false");
        KafkaConfig config = KafkaConfig.fromProps(props);

        ByteArrayOutputStream formatLog = new ByteArrayOutputStream();
        new Formatter()
                .setPrintStream(new PrintStream(formatLog, true, StandardCharsets.UTF_8))
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(1)
                .setDirectories(Set.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setControllerListenerName("CONTROLLER")
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .run();

        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            deleteQuietly(logDir);
            throw e;
        }
        return new KafkaBroker(server, logDir, brokerPort);
    }

    /** {@code 127.0.0.1:port}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Creates a topic with one replica and waits until it exists. */
    public void createTopic(String name, int partitions) throws Exception {
        createTopic(name, partitions, Map.of());
    }

    /**
     * Creates a topic with one replica and the topic settings {@code configs} (for example
     * {@code cleanup.policy=compact} for a table's topic), and waits until it exists.
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                    .all().get();
            // Created is not yet led: a producer that writes before every partition has its
            // leader can fall into an endless OUT_OF_ORDER_SEQUENCE_NUMBER retry loop.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!led(admin, name)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + name + " has partitions without a leader after 30 s");
                }
                Thread.sleep(20);
            }
        }
    }

    private static boolean led(Admin admin, String topic) {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                    .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
        } catch (Exception notYetKnown) {
            return false;
        }
    }

    /** Shuts the broker down cleanly and deletes its log directory. */
    @Override
    public void close() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            deleteQuietly(logDir);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteQuietly(Path directory) {
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // a leftover temporary directory is not worth failing a test over
        }
    }
}
