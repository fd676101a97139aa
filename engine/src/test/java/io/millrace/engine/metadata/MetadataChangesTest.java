package io.millrace.engine.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.metadata.Controller.ConfigChange;
import io.millrace.engine.metadata.Controller.ConfigOp;
import io.millrace.engine.metadata.Controller.NewPartitions;
import io.millrace.engine.metadata.Controller.NewTopic;
import io.millrace.engine.metadata.Controller.TopicCreation;
import io.millrace.engine.metadata.MetadataChanges.Outcome;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.AlterConfigOp.OpType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.junit.jupiter.api.Test;

class MetadataChangesTest {

  static final TopicConfigRules RULES = new TopicConfigRules() {
    @Override
    public String validate(Map<String, String> overrides) {
      if (overrides.containsKey("bad")) {
        return "Unknown topic config name: bad";
      }
      return null;
    }

    @Override
    public String defaultValue(String key) {
      return key.equals("cleanup.policy") ? "delete" : null;
    }

    @Override
    public boolean isList(String key) {
      return key.equals("cleanup.policy");
    }
  };

  final AtomicLong ids = new AtomicLong(1);
  final MetadataChanges changes = new MetadataChanges(3, (short) 1, RULES, () -> new Uuid(0, ids.getAndIncrement()));
  final MetadataImage oneBroker = MetadataImage.empty("cluster", 1)
      .withBroker(new BrokerRegistration(1, List.of(new Endpoint("PLAINTEXT", "localhost", 9092)), Optional.empty()));

  @Test
  void createsTopicsWithDefaultsAndLeaderOnTheOnlyBroker() {
    Outcome<Map<String, TopicCreation>> out = changes.createTopics(oneBroker, List.of(NewTopic.withDefaults("a")), false);
    TopicImage a = out.image().topic("a");
    assertThat(a.numPartitions()).isEqualTo(3);
    assertThat(a.partitions()).allSatisfy(p -> {
      assertThat(p.leader()).isEqualTo(1);
      assertThat(p.isr()).containsExactly(1);
      assertThat(p.leaderEpoch()).isZero();
    });
    assertThat(out.result().get("a").error()).isEqualTo(ApiError.NONE);
    assertThat(out.image().version()).isEqualTo(oneBroker.version() + 1);
  }

  @Test
  void validateOnlyChangesNothing() {
    Outcome<Map<String, TopicCreation>> out = changes.createTopics(oneBroker, List.of(NewTopic.withDefaults("a")), true);
    assertThat(out.image()).isNull();
    assertThat(out.result().get("a").topic()).isNotNull();
  }

  @Test
  void rejectsEachBadTopicWithItsOwnError() {
    MetadataImage withA = changes.createTopics(oneBroker, List.of(NewTopic.withDefaults("a.b")), false).image();
    Outcome<Map<String, TopicCreation>> out = changes.createTopics(withA, List.of(
        NewTopic.withDefaults("a.b"),
        NewTopic.withDefaults("a_b"),
        NewTopic.withDefaults("bad name!"),
        new NewTopic("rf3", 1, (short) 3, Map.of(), Map.of()),
        new NewTopic("zero", 0, (short) 1, Map.of(), Map.of()),
        new NewTopic("cfg", 1, (short) 1, Map.of(), Map.of("bad", "1")),
        new NewTopic("assigned", 1, (short) 1, Map.of(0, List.of(1)), Map.of()),
        new NewTopic("unknown-broker", -1, (short) -1, Map.of(0, List.of(7)), Map.of()),
        NewTopic.withDefaults("good")), false);
    Map<String, TopicCreation> r = out.result();
    assertThat(r.get("a.b").error().error()).isEqualTo(Errors.TOPIC_ALREADY_EXISTS);
    assertThat(r.get("a_b").error().error()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
    assertThat(r.get("bad name!").error().error()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
    assertThat(r.get("rf3").error().error()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
    assertThat(r.get("zero").error().error()).isEqualTo(Errors.INVALID_PARTITIONS);
    assertThat(r.get("cfg").error().error()).isEqualTo(Errors.INVALID_CONFIG);
    assertThat(r.get("assigned").error().error()).isEqualTo(Errors.INVALID_REQUEST);
    assertThat(r.get("unknown-broker").error().error()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
    assertThat(r.get("good").error()).isEqualTo(ApiError.NONE);
    assertThat(out.image().topics().keySet()).containsExactly("a.b", "good");
  }

  @Test
  void growsAndDeletesTopics() {
    MetadataImage img = changes.createTopics(oneBroker, List.of(NewTopic.withDefaults("t")), false).image();
    Outcome<Map<String, ApiError>> grown = changes.createPartitions(img, List.of(new NewPartitions("t", 5, List.of()),
        new NewPartitions("missing", 2, List.of())), false);
    assertThat(grown.image().topic("t").numPartitions()).isEqualTo(5);
    assertThat(grown.result().get("missing").error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    assertThat(changes.createPartitions(grown.image(), List.of(new NewPartitions("t", 4, List.of())), false)
        .result().get("t").error()).isEqualTo(Errors.INVALID_PARTITIONS);
    Outcome<Map<String, ApiError>> deleted = changes.deleteTopics(grown.image(), List.of("t", "missing"));
    assertThat(deleted.image().topics()).isEmpty();
    assertThat(deleted.result().get("missing").error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
  }

  @Test
  void incrementalConfigOpsApplyToTheEffectiveValue() {
    MetadataImage img = changes.createTopics(oneBroker, List.of(NewTopic.withDefaults("t")), false).image();
    MetadataImage next = changes.alterTopicConfigs(img, Map.of("t", new ConfigChange.Incremental(List.of(
        new ConfigOp("cleanup.policy", OpType.APPEND, "compact"), new ConfigOp("retention.ms", OpType.SET, "5")))),
        false).image();
    assertThat(next.topic("t").configs()).containsEntry("cleanup.policy", "delete,compact").containsEntry("retention.ms", "5");
    MetadataImage after = changes.alterTopicConfigs(next, Map.of("t", new ConfigChange.Incremental(List.of(
        new ConfigOp("cleanup.policy", OpType.SUBTRACT, "delete"), new ConfigOp("retention.ms", OpType.DELETE, null)))),
        false).image();
    assertThat(after.topic("t").configs()).containsOnly(Map.entry("cleanup.policy", "compact"));
    Map<String, ApiError> notList = changes.alterTopicConfigs(after, Map.of("t", new ConfigChange.Incremental(List.of(
        new ConfigOp("retention.ms", OpType.APPEND, "1")))), false).result();
    assertThat(notList.get("t").error()).isEqualTo(Errors.INVALID_CONFIG);
    MetadataImage replaced = changes.alterTopicConfigs(after, Map.of("t", new ConfigChange.Replace(Map.of("x", "1"))),
        false).image();
    assertThat(replaced.topic("t").configs()).containsOnly(Map.entry("x", "1"));
  }

  @Test
  void producerIdBlocksNeverOverlap() {
    Outcome<Controller.ProducerIdBlock> first = changes.allocateProducerIds(oneBroker, 1000);
    Outcome<Controller.ProducerIdBlock> second = changes.allocateProducerIds(first.image(), 1000);
    assertThat(first.result().firstId()).isZero();
    assertThat(first.result().lastId()).isEqualTo(999);
    assertThat(second.result().firstId()).isEqualTo(1000);
    assertThat(second.image().nextProducerId()).isEqualTo(2000);
  }

  @Test
  void internalTopicsCannotBeDeletedOrGrown() {
    MetadataImage withOffsets = changes.createTopics(oneBroker,
        List.of(new NewTopic("__consumer_offsets", 2, (short) 1, Map.of(), Map.of())), false).image();
    Outcome<Map<String, ApiError>> deleted = changes.deleteTopics(withOffsets, List.of("__consumer_offsets"));
    assertThat(deleted.image()).isNull();
    assertThat(deleted.result().get("__consumer_offsets").error()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
    Outcome<Map<String, ApiError>> grown = changes.createPartitions(withOffsets,
        List.of(new NewPartitions("__consumer_offsets", 4, List.of())), false);
    assertThat(grown.image()).isNull();
    assertThat(grown.result().get("__consumer_offsets").error()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
    assertThat(grown.result().get("__consumer_offsets").message()).contains("internal topic");
  }
}
