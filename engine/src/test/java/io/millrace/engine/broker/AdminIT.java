package io.millrace.engine.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.engine.EmbeddedBroker;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kafka-clients 4.4 AdminClient against the broker: topics, configs, offsets, records, log dirs, cluster. */
class AdminIT {

  static EmbeddedBroker broker;
  static Admin admin;

  @BeforeAll
  static void start() {
    broker = EmbeddedBroker.start(Map.of("log.retention.hours", "72"));
    admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
  }

  @AfterAll
  static void stop() {
    admin.close(Duration.ofSeconds(5));
    broker.close();
  }

  @Test
  void createsDescribesGrowsAndDeletesTopics() throws Exception {
    admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
        .all().get();
    TopicDescription d = admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders");
    assertThat(d.partitions()).hasSize(3);
    assertThat(d.topicId()).isNotNull();
    assertThat(d.partitions().get(0).leader().id()).isEqualTo(1);
    assertThat(d.partitions().get(0).isr()).extracting(n -> n.id()).containsExactly(1);
    assertThat(admin.listTopics().names().get()).contains("orders");

    assertCause(() -> admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1))).all().get(),
        TopicExistsException.class);
    assertCause(() -> admin.createTopics(List.of(new NewTopic("three-copies", 1, (short) 3))).all().get(),
        InvalidReplicationFactorException.class);
    assertCause(() -> admin.createTopics(List.of(new NewTopic("bad-config", 1, (short) 1)
        .configs(Map.of("retention.ms", "soon")))).all().get(), InvalidConfigurationException.class);
    assertCause(() -> admin.createTopics(List.of(new NewTopic("unknown-config", 1, (short) 1)
        .configs(Map.of("no.such.key", "1")))).all().get(), InvalidConfigurationException.class);

    admin.createPartitions(Map.of("orders", NewPartitions.increaseTo(5))).all().get();
    assertThat(admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders").partitions()).hasSize(5);
    assertCause(() -> admin.createPartitions(Map.of("orders", NewPartitions.increaseTo(2))).all().get(),
        InvalidPartitionsException.class);

    admin.deleteTopics(List.of("orders")).all().get();
    assertThat(admin.listTopics().names().get()).doesNotContain("orders");
    assertThat(broker.broker().logManager().get(new TopicPartition("orders", 0))).isEmpty();
    assertCause(() -> admin.deleteTopics(List.of("orders")).all().get(), UnknownTopicOrPartitionException.class);
  }

  @Test
  void describesAndAltersConfigs() throws Exception {
    admin.createTopics(List.of(new NewTopic("configured", 1, (short) 1).configs(Map.of("retention.ms", "60000"))))
        .all().get();
    ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "configured");
    Config config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
    assertThat(config.get("retention.ms").value()).isEqualTo("60000");
    assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
    assertThat(config.get("segment.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
    assertThat(config.get("internal.segment.bytes")).as("test-only keys are not described").isNull();

    admin.incrementalAlterConfigs(Map.of(topic, List.of(
        new AlterConfigOp(new ConfigEntry("retention.ms", "120000"), AlterConfigOp.OpType.SET),
        new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND)))).all().get();
    config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
    assertThat(config.get("retention.ms").value()).isEqualTo("120000");
    assertThat(config.get("cleanup.policy").value()).isEqualTo("delete,compact");
    // The new config is in effect on the partition at once.
    assertThat(broker.broker().logManager().get(new TopicPartition("configured", 0)).orElseThrow()
        .config().retentionMs()).isEqualTo(120000L);

    assertCause(() -> admin.incrementalAlterConfigs(Map.of(topic, List.of(
        new AlterConfigOp(new ConfigEntry("segment.bytes", "-5"), AlterConfigOp.OpType.SET)))).all().get(),
        InvalidConfigurationException.class);

    ConfigResource brokerResource = new ConfigResource(ConfigResource.Type.BROKER, "1");
    Config brokerConfig = admin.describeConfigs(List.of(brokerResource)).all().get().get(brokerResource);
    assertThat(brokerConfig.get("log.retention.hours").value()).isEqualTo("72");
    assertThat(brokerConfig.get("log.retention.hours").source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
    assertThat(brokerConfig.get("num.partitions").value()).isEqualTo("1");
  }

  @Test
  void listsOffsetsAndDeletesRecords() throws Exception {
    admin.createTopics(List.of(new NewTopic("offsets", 1, (short) 1))).all().get();
    TopicPartition tp = new TopicPartition("offsets", 0);
    Properties p = new Properties();
    p.put("bootstrap.servers", broker.bootstrapServers());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>("offsets", 0, 1000L * (i + 1), null, "v" + i)).get();
      }
    }
    assertThat(offset(tp, OffsetSpec.earliest()).offset()).isZero();
    assertThat(offset(tp, OffsetSpec.latest()).offset()).isEqualTo(10);
    assertThat(offset(tp, OffsetSpec.forTimestamp(4500)).offset()).isEqualTo(4);
    ListOffsetsResultInfo max = offset(tp, OffsetSpec.maxTimestamp());
    assertThat(max.offset()).isEqualTo(9);
    assertThat(max.timestamp()).isEqualTo(10_000L);

    long low = admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(6))).all().thenApply(v -> 0L).get();
    assertThat(low).isZero();
    assertThat(offset(tp, OffsetSpec.earliest()).offset()).isEqualTo(6);
  }

  @Test
  void describesLogDirsAndCluster() throws Exception {
    admin.createTopics(List.of(new NewTopic("dirs", 2, (short) 1))).all().get();
    Map<Integer, Map<String, LogDirDescription>> dirs = admin.describeLogDirs(List.of(1)).allDescriptions().get();
    LogDirDescription only = dirs.get(1).values().iterator().next();
    assertThat(only.replicaInfos()).containsKeys(new TopicPartition("dirs", 0), new TopicPartition("dirs", 1));
    assertThat(only.totalBytes()).isPresent();

    DescribeClusterResult cluster = admin.describeCluster();
    assertThat(cluster.clusterId().get()).isEqualTo(broker.broker().metadata().clusterId());
    assertThat(cluster.controller().get().id()).isEqualTo(1);
    Collection<org.apache.kafka.common.Node> nodes = cluster.nodes().get();
    assertThat(nodes).extracting(n -> n.port()).containsExactly(broker.broker().boundPort("PLAINTEXT"));
    assertThat(Set.copyOf(admin.describeTopics(List.of("dirs")).allTopicNames().get().keySet())).containsExactly("dirs");
  }

  private static ListOffsetsResultInfo offset(TopicPartition tp, OffsetSpec spec) throws Exception {
    return admin.listOffsets(Map.of(tp, spec)).partitionResult(tp).get();
  }

  private static void assertCause(ThrowingCall call, Class<? extends Throwable> cause) {
    assertThatThrownBy(call::run).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(cause);
  }

  interface ThrowingCall {
    void run() throws Exception;
  }
}
