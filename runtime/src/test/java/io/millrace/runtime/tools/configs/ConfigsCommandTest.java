package io.millrace.runtime.tools.configs;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.EmbeddedBroker;
import io.millrace.runtime.tools.ToolRunner;
import io.millrace.runtime.tools.ToolRunner.Result;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConfigsCommandTest {

  static EmbeddedBroker broker;
  static String bootstrap;
  static Admin admin;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start(Map.of("log.retention.hours", "72"));
    bootstrap = broker.bootstrapServers();
    admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
    admin.createTopics(List.of(new NewTopic("plain", 1, (short) 1),
        new NewTopic("tuned", 1, (short) 1).configs(Map.of("retention.ms", "60000")))).all().get();
  }

  @AfterAll
  static void stop() {
    admin.close();
    broker.close();
  }

  static Result configs(String... args) {
    String[] full = new String[args.length + 3];
    full[0] = "configs";
    full[1] = "--bootstrap-server";
    full[2] = bootstrap;
    System.arraycopy(args, 0, full, 3, args.length);
    return ToolRunner.run(full);
  }

  static String topicConfig(String topic, String key) throws Exception {
    var resource = new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(resource)).all().get().get(resource).get(key).value();
  }

  @Test
  void describeShowsATopicsOverridesWithTheirSynonyms() {
    Result r = configs("--describe", "--entity-type", "topics", "--entity-name", "tuned");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("Dynamic configs for topic tuned are:\n  retention.ms=60000 sensitive=false "
        + "synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=60000");
    assertThat(r.out().lines()).hasSize(2);
    Result shorthand = configs("--describe", "--topic", "plain");
    assertThat(shorthand.out()).isEqualTo("Dynamic configs for topic plain are:\n");
    Result everything = configs("--describe", "--topic", "plain", "--all");
    assertThat(everything.out()).startsWith("All configs for topic plain are:\n").contains("  cleanup.policy=delete ")
        .contains("  retention.ms=259200000 sensitive=false synonyms={STATIC_BROKER_CONFIG:log.retention.hours=72");
  }

  @Test
  void alterAddsAndDeletesTopicConfigs() throws Exception {
    admin.createTopics(List.of(new NewTopic("altered", 1, (short) 1))).all().get();
    Result added = configs("--alter", "--entity-type", "topics", "--entity-name", "altered",
        "--add-config", "retention.ms=1000,cleanup.policy=[compact,delete],max.message.bytes=2048");
    assertThat(added.exitCode()).as(added.toString()).isZero();
    assertThat(added.out()).isEqualTo("Completed updating config for topic altered.\n");
    assertThat(topicConfig("altered", "retention.ms")).isEqualTo("1000");
    assertThat(topicConfig("altered", "cleanup.policy")).isEqualTo("compact,delete");
    assertThat(configs("--describe", "--topic", "altered").out()).contains("max.message.bytes=2048");

    Result deleted = configs("--alter", "--topic", "altered", "--delete-config", "retention.ms,cleanup.policy");
    assertThat(deleted.exitCode()).isZero();
    assertThat(topicConfig("altered", "retention.ms")).as("back to the broker default, 72 h").isEqualTo("259200000");
    assertThat(topicConfig("altered", "cleanup.policy")).isEqualTo("delete");
    assertThat(topicConfig("altered", "max.message.bytes")).isEqualTo("2048");
  }

  @Test
  void anInvalidValueIsRefusedAndTheConfigIsUnchanged() throws Exception {
    Result bad = configs("--alter", "--topic", "tuned", "--add-config", "retention.ms=forever");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).startsWith("Error: topic tuned: ").contains("retention.ms").contains("forever");
    assertThat(topicConfig("tuned", "retention.ms")).isEqualTo("60000");

    Result unknownKey = configs("--alter", "--topic", "tuned", "--add-config", "retention.forever=true");
    assertThat(unknownKey.exitCode()).isEqualTo(1);
    assertThat(unknownKey.err()).contains("retention.forever");

    Result unknownDelete = configs("--alter", "--topic", "tuned", "--delete-config", "no.such.config");
    assertThat(unknownDelete.exitCode()).isEqualTo(1);
    assertThat(unknownDelete.err()).isEqualTo("Error: invalid config(s) to delete: no.such.config\n");
    assertThat(topicConfig("tuned", "retention.ms")).isEqualTo("60000");
  }

  @Test
  void anUnknownTopicIsReported() {
    Result describe = configs("--describe", "--topic", "ghost");
    assertThat(describe.exitCode()).isEqualTo(1);
    assertThat(describe.err()).isEqualTo("Error: topic 'ghost' does not exist\n");
    Result alter = configs("--alter", "--topic", "ghost", "--add-config", "retention.ms=1");
    assertThat(alter.exitCode()).isEqualTo(1);
    assertThat(alter.err()).isEqualTo("Error: topic 'ghost' does not exist\n");
  }

  @Test
  void brokerConfigsAreDescribedAndTheirChangesReported() {
    Result dynamic = configs("--describe", "--entity-type", "brokers", "--entity-name", "1");
    assertThat(dynamic.exitCode()).as(dynamic.toString()).isZero();
    assertThat(dynamic.out()).isEqualTo("Dynamic configs for broker 1 are:\n");
    Result all = configs("--describe", "--broker", "1", "--all");
    assertThat(all.out()).startsWith("All configs for broker 1 are:\n")
        .contains("  log.retention.hours=72 sensitive=false synonyms={STATIC_BROKER_CONFIG:log.retention.hours=72");
    Result everyBroker = configs("--describe", "--entity-type", "brokers");
    assertThat(everyBroker.out()).isEqualTo("Dynamic configs for broker 1 are:\nDefault configs for brokers in the cluster are:\n");

    Result alter = configs("--alter", "--broker", "1", "--add-config", "log.retention.hours=1");
    assertThat(alter.exitCode()).isEqualTo(1);
    assertThat(alter.err()).startsWith("Error: broker 1: ");
  }

  @Test
  void badArgumentsAreReported() {
    Result users = configs("--describe", "--entity-type", "users");
    assertThat(users.exitCode()).isEqualTo(1);
    assertThat(users.err()).isEqualTo(
        "Error: entity type 'users' is not supported: Millrace's configs tool manages topics and brokers\n");
    Result typo = configs("--describe", "--entity-type", "topic");
    assertThat(typo.exitCode()).isEqualTo(2);
    assertThat(typo.err()).startsWith("invalid --entity-type 'topic': use topics or brokers");
    Result noAction = configs("--topic", "tuned");
    assertThat(noAction.exitCode()).isEqualTo(2);
    Result noChange = configs("--alter", "--topic", "tuned");
    assertThat(noChange.exitCode()).isEqualTo(2);
    assertThat(noChange.err()).startsWith("--alter needs --add-config, --add-config-file or --delete-config");
    Result malformed = configs("--alter", "--topic", "tuned", "--add-config", "retention.ms");
    assertThat(malformed.exitCode()).isEqualTo(2);
    assertThat(malformed.err()).startsWith("invalid --add-config entry 'retention.ms': expected key=value");
    Result brackets = configs("--alter", "--topic", "tuned", "--add-config", "cleanup.policy=[compact");
    assertThat(brackets.exitCode()).isEqualTo(2);
    Result badBroker = configs("--describe", "--broker", "one");
    assertThat(badBroker.exitCode()).isEqualTo(2);
    assertThat(badBroker.err()).startsWith("invalid broker id 'one': expected a number");
  }
}
